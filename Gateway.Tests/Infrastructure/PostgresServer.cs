using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for tests: its own data directory under /tmp, its own free port on
/// 127.0.0.1, trust authentication and no fsync. When the environment variable
/// <see cref="ExternalServerVariable"/> holds a connection string, that server is used instead and nothing is
/// started.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable naming an existing server's admin connection string.</summary>
    public const string ExternalServerVariable = "GATEWAY_TEST_DATABASE";

    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const int StartAttempts = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string? rootDirectory;
    private readonly List<string> createdDatabases = [];
    private readonly Lock gate = new();
    private bool disposed;

    private PostgresServer(string adminConnectionString, string? rootDirectory, int port)
    {
        AdminConnectionString = adminConnectionString;
        this.rootDirectory = rootDirectory;
        Port = port;
    }

    /// <summary>Connection string of the superuser <c>postgres</c> to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>TCP port on 127.0.0.1 of a cluster this instance started, or the external server's port.</summary>
    public int Port { get; }

    /// <summary>True when the server came from <see cref="ExternalServerVariable"/> and is not owned here.</summary>
    public bool IsExternal => rootDirectory is null;

    private string DataDirectory => Path.Combine(OwnedRoot, "data");

    private string LogFile => Path.Combine(OwnedRoot, "postgres.log");

    private string OwnedRoot => rootDirectory ?? throw new NotSupportedException(
        $"This PostgreSQL server comes from {ExternalServerVariable} and is not owned by the tests, "
        + "so it cannot be stopped or started; unset the variable to run tests that need this.");

    private static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>Starts a new cluster, or wraps the external server named by the environment.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            return new PostgresServer(external, rootDirectory: null, builder.Port);
        }

        var initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({initdb} is missing): install the postgresql-15 package, as "
                + $".ci/run does, or set {ExternalServerVariable} to an existing server's connection string.");
        }

        var root = Path.Combine("/tmp", "gateway-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        try
        {
            if (RunningAsRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], root, asPostgres: false);
            }

            await RunAsync(
                initdb,
                [
                    "-D", Path.Combine(root, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync", "--no-instructions",
                ],
                root,
                asPostgres: RunningAsRoot);

            return await StartOnFreePortAsync(root);
        }
        catch
        {
            TryDeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// Creates a database (lowercase letters, digits and underscores, at most 63 characters) and returns a
    /// connection string for it (pooled, with idle connections pruned after about 10 s).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                "Database names must be 1-63 characters of a-z, 0-9 and '_', starting with a letter.",
                nameof(name));
        }

        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (gate)
        {
            createdDatabases.Add(name);
        }

        // Idle pooled connections are closed after a few seconds, so that many test databases, each with its
        // own pool, do not add up to max_connections.
        var result = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 2,
        };
        return result.ConnectionString;
    }

    /// <summary>Stops the cluster (fast shutdown); data and port are kept for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var root = OwnedRoot;
        NpgsqlConnection.ClearAllPools();
        await PgCtlAsync(root, ["-D", DataDirectory, "-w", "-t", "60", "-m", "fast", "stop"]);
    }

    /// <summary>Starts the cluster again on the same port and data directory after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        var root = OwnedRoot;
        await PgCtlAsync(root, StartArguments(root, Port));
    }

    /// <summary>Clears Npgsql's pools, kills the cluster and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        NpgsqlConnection.ClearAllPools();
        if (rootDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        try
        {
            await PgCtlAsync(rootDirectory, ["-D", DataDirectory, "-w", "-t", "60", "-m", "immediate", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (e.g. by StopAsync): nothing to kill.
        }

        TryDeleteDirectory(rootDirectory);
    }

    private static async Task<PostgresServer> StartOnFreePortAsync(string root)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FindFreePort();
            try
            {
                await PgCtlAsync(root, StartArguments(root, port));
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && PortWasTaken(root))
            {
                continue;
            }

            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
            };
            return new PostgresServer(builder.ConnectionString, root, port);
        }
    }

    private static string[] StartArguments(string root, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var options = $"-c listen_addresses=127.0.0.1 -p {portText} -k {root} "
            + "-c fsync=off -c full_page_writes=off -c max_connections=300";
        return
        [
            "-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60",
            "-o", options, "start",
        ];
    }

    private static bool PortWasTaken(string root)
    {
        try
        {
            var log = File.ReadAllText(Path.Combine(root, "postgres.log"));
            return log.Contains("could not bind", StringComparison.Ordinal)
                || log.Contains("could not create any TCP/IP sockets", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static Task PgCtlAsync(string root, IReadOnlyList<string> arguments)
    {
        return RunAsync(Path.Combine(BinDirectory, "pg_ctl"), arguments, root, asPostgres: RunningAsRoot);
    }

    private static async Task RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, bool asPostgres)
    {
        var info = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : fileName,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} did not finish within {CommandTimeout}.");
        }

        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}")
                + ReadLogTail(workingDirectory));
        }
    }

    private static string ReadLogTail(string root)
    {
        var path = Path.Combine(root, "postgres.log");
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(path);
        var builder = new StringBuilder("\n--- postgres.log (tail) ---\n");
        foreach (var line in lines.Skip(Math.Max(0, lines.Length - 20)))
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover directory under /tmp does no harm to the test run.
        }
    }

    private async Task DropCreatedDatabasesAsync()
    {
        string[] names;
        lock (gate)
        {
            names = [.. createdDatabases];
        }

        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var command = new NpgsqlCommand(
                $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();
}
