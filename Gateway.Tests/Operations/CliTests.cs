using System.Diagnostics;
using System.Text.Json;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;

namespace Gateway.Tests.Operations;

/// <summary>The gateway's executable as a command-line tool: migrate a fresh database, summarise the queue.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task MigrateThenQueue_FreshDatabase_AppliesSchemaAndCountsWaitingMail()
    {
        var database = await SharedPostgres.NewDatabaseAsync();

        var migrate = await RunAsync(database, "migrate");
        var seed = new SeededQueue(database);
        await seed.AddAsync(2, 2, RecipientState.Deferred, RecipientState.Delivered);
        await seed.AddAsync(1, 1, RecipientState.Held);
        var queue = await RunAsync(database, "queue", "--json");

        Assert.True(migrate.Status == 0, migrate.Error);
        Assert.Contains("applied ", migrate.Output, StringComparison.Ordinal);
        Assert.Contains("database schema is up to date", migrate.Output, StringComparison.Ordinal);
        Assert.True(queue.Status == 0, queue.Error);
        using var json = JsonDocument.Parse(queue.Output);
        var waiting = json.RootElement.GetProperty("waiting");
        Assert.Equal(0, waiting.GetProperty("queued").GetInt64());
        Assert.Equal(1, waiting.GetProperty("deferred").GetInt64());
        Assert.Equal(1, waiting.GetProperty("held").GetInt64());
        var oldest = json.RootElement.GetProperty("oldestAgeSeconds").GetDouble();
        Assert.InRange(oldest, 2 * 86400 - 60, 2 * 86400 + 60);
    }

    // apikeys and operators go through the same dispatcher as the other commands, with the server's services.
    [Fact]
    public async Task ApiKeysAndOperators_ThroughTheExecutable_CreateWhatTheyPrint()
    {
        var database = await SharedPostgres.NewDatabaseAsync();

        var key = await RunAsync(database, "apikeys", "create", "--name", "cli", "--scopes", "read", "--per-day", "9");
        var keys = await RunAsync(database, "apikeys", "list");
        var operators = await RunAsync(database, "operators", "list");

        Assert.True(key.Status == 0, key.Error);
        Assert.Matches("(?m)^gwk_", key.Output);
        Assert.Contains("limits -/min 9/day", keys.Output, StringComparison.Ordinal);
        Assert.True(operators.Status == 0, operators.Error);
    }

    [Fact]
    public async Task UnknownCommand_Any_ExitsWithUsage()
    {
        var result = await RunAsync("Host=127.0.0.1;Port=1", "frobnicate");

        Assert.Equal(2, result.Status);
        Assert.Contains("Unknown command 'frobnicate'", result.Error, StringComparison.Ordinal);
        Assert.Contains("migrate", result.Error, StringComparison.Ordinal);
        Assert.Contains("apikeys", result.Error, StringComparison.Ordinal);
        Assert.Contains("operators", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Output, string Error)> RunAsync(
        string connectionString,
        params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ConnectionStrings__Gateway"] = connectionString;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
