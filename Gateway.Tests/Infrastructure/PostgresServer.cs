using System.Diagnostics;
using System.Globalization;
using Gateway.Tests.Hosting;
using Npgsql;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, started from the installed binaries on first use and
/// stopped when the process exits; every test class takes its own database, so classes run in parallel.
/// With GATEWAY_TEST_DATABASE set (a connection string to a server), that server is used instead.
/// </summary>
public static class PostgresServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<string> AdminConnectionString = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var name = "gw_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(AdminConnectionString.Value))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString.Value) { Database = name, Pooling = true }
            .ConnectionString;
    }

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("GATEWAY_TEST_DATABASE");
        if (!string.IsNullOrEmpty(configured))
        {
            return new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString;
        }

        var directory = Directory.CreateTempSubdirectory("gw-test-pg.").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", $"postgres:postgres {directory}", asRoot: false);
        }

        var port = FreePort.Next();
        Run($"{Binaries}/initdb", $"-D {directory}/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync " +
                                  "--no-instructions", asRoot);
        Run($"{Binaries}/pg_ctl", $"-D {directory}/data -l {directory}/log -w -t 60 -o \"-c listen_addresses=127.0.0.1 " +
                                  $"-p {port} -k {directory} -c fsync=off -c synchronous_commit=off " +
                                  "-c full_page_writes=off -c max_connections=300\" start", asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            Run($"{Binaries}/pg_ctl", $"-D {directory}/data -m immediate -w stop", asRoot);
            Directory.Delete(directory, recursive: true);
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");
    }

    private static void Run(string file, string arguments, bool asRoot)
    {
        var start = asRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }
}
