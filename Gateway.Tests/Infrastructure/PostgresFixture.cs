using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Persistence;
using Gateway.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run (docs: FEASIBILITY recipe 4), or the server named by
/// GATEWAY_TEST_DATABASE. Each test asks for a fresh, migrated database. Stopgap for the relay tests until the
/// shared fixture lands on main; same name and shape so the merge takes the shared one.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly bool _asPostgres = Environment.UserName == "root";
    private string? _directory;
    private string _adminConnectionString = string.Empty;
    private int _databases;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("GATEWAY_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return;
        }

        _directory = Directory.CreateTempSubdirectory("gw-pg.").FullName;
        if (_asPostgres)
        {
            await RunAsync("chown", $"postgres:postgres {_directory}", asPostgres: false);
        }

        var port = FreePort.Next();
        await RunAsync($"{Bin}/initdb",
            $"-D {_directory}/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions");
        await RunAsync($"{Bin}/pg_ctl",
            $"-D {_directory}/data -l {_directory}/log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p {port} " +
            $"-k {_directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off " +
            "-c max_connections=300\" start");
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>Creates an empty database with the gateway's schema; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var number = Interlocked.Increment(ref _databases);
        var name = string.Create(CultureInfo.InvariantCulture, $"gw_{number}_{Guid.NewGuid():N}");
        await using (var admin = new NpgsqlConnection(_adminConnectionString + ";Pooling=false"))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }
            .ConnectionString;
        var options = new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var db = new GatewayDbContext(options);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null)
        {
            return;
        }

        await RunAsync($"{Bin}/pg_ctl", $"-D {_directory}/data -m immediate -w stop");
        Directory.Delete(_directory, recursive: true);
    }

    private Task RunAsync(string tool, string arguments) => RunAsync(tool, arguments, _asPostgres);

    private static async Task RunAsync(string tool, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {tool} {arguments}")
            : new ProcessStartInfo(tool, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
