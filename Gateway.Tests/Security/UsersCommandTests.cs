using System.Diagnostics;
using Gateway.Api.Cli;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Gateway.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Tests.Security;

/// <summary>The <c>users</c> command of the gateway's executable.</summary>
[Collection("postgres")]
public sealed class UsersCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Users_AddListPasswdDisable_ManageTheStore()
    {
        var database = await postgres.NewDatabaseAsync();

        var add = await RunAsync(database, "correct horse battery\n",
            "add", "app", "--password-stdin", "--sender", "example.com", "--per-minute", "30");
        var duplicate = await RunAsync(database, "correct horse battery\n", "add", "APP", "--password-stdin");
        var passwd = await RunAsync(database, "a different long password\n", "passwd", "app", "--password-stdin");
        var disable = await RunAsync(database, "", "disable", "app");
        var list = await RunAsync(database, "", "list");
        var missing = await RunAsync(database, "", "disable", "nobody");

        Assert.Equal((0, "Added user app.\n"), (add.Code, add.Output));
        Assert.Equal((1, "A user named 'app' already exists.\n"), (duplicate.Code, duplicate.Error));
        Assert.Equal(0, passwd.Code);
        Assert.Equal(0, disable.Code);
        Assert.Equal(0, list.Code);
        Assert.Matches(@"\napp +no +30 +- +- +never +example\.com\n", list.Output);
        Assert.Equal(1, missing.Code);

        await using var db = new GatewayDbContext(new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(database).UseSnakeCaseNamingConvention().Options);
        var app = await db.SmtpUsers.SingleAsync();
        Assert.False(app.Enabled);
        Assert.Equal(PasswordCheck.Match, new SmtpPasswordHasher().Verify(app.PasswordHash, "a different long password"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("add")]
    [InlineData("add app --per-minute 0")]
    [InlineData("list extra")]
    [InlineData("remove app")]
    public async Task Users_BadArguments_PrintUsageAndExit2(string arguments)
    {
        var result = await RunAsync("Host=unused", "", arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, result.Code);
        Assert.Contains("Usage:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayExecutable_UsersAdd_AddsTheUserAndExits()
    {
        var database = await postgres.NewDatabaseAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("gw-cli.").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Gateway.Api.dll"), "users", "add", "alice",
                "--password-stdin", "--sender", "*" },
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ConnectionStrings__Gateway"] = database },
        };

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync("correct horse battery");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await error);
        Assert.Equal("Added user alice.\n", await output);
        await using var db = new GatewayDbContext(new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(database).UseSnakeCaseNamingConvention().Options);
        Assert.Equal(["*"], (await db.SmtpUsers.SingleAsync(u => u.Name == "alice")).AllowedSenders);
        Directory.Delete(workingDirectory, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string database, string input,
        params string[] args)
    {
        using var stdin = new StringReader(input);
        await using var stdout = new StringWriter { NewLine = "\n" };
        await using var stderr = new StringWriter { NewLine = "\n" };
        var code = await UsersCommand.RunAsync(args, stdin, stdout, stderr,
            [new("ConnectionStrings:Gateway", database)]);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
