using System.Diagnostics;
using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Hosting;

/// <summary>
/// A private PostgreSQL cluster under the gateway's data directory, used when no connection string is configured.
/// It listens on a Unix socket inside that directory only (no TCP port to clash with), is created on first start
/// from the PostgreSQL binaries installed on the machine, and is stopped when the gateway stops.
/// </summary>
public sealed partial class EmbeddedPostgres : IDisposable
{
    private const string DatabaseName = "gateway";
    private const int SocketPort = 5432;

    private readonly string _binDirectory;
    private readonly string _clusterDirectory;
    private readonly ILogger _logger;
    private readonly bool _runAsPostgresUser;
    private bool _started;

    private EmbeddedPostgres(string binDirectory, string clusterDirectory, ILogger logger)
    {
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _logger = logger;

        // initdb and postgres refuse to run as root; the Debian packages provide the 'postgres' OS user.
        _runAsPostgresUser = Environment.UserName == "root";
    }

    public string ConnectionString =>
        $"Host={SocketDirectory};Port={SocketPort};Username=postgres;Database={DatabaseName};Pooling=true";

    private string DataDirectory => Path.Combine(_clusterDirectory, "pgdata");

    private string SocketDirectory => _clusterDirectory;

    /// <summary>Creates the cluster if needed, starts it and makes sure the gateway's database exists.</summary>
    public static EmbeddedPostgres Start(string dataDirectory, ILogger logger)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "No connection string is configured (ConnectionStrings:Gateway, or the environment variable " +
            "ConnectionStrings__Gateway) and no PostgreSQL server binaries were found to run a private cluster. " +
            "Install them (Debian/Ubuntu: apt-get install postgresql) or point the gateway at a PostgreSQL server.");

        var cluster = Path.GetFullPath(Path.Combine(dataDirectory, "postgres"));
        var server = new EmbeddedPostgres(bin, cluster, logger);
        server.StartCore();
        return server;
    }

    private void StartCore()
    {
        Log.Starting(_logger, DataDirectory, _binDirectory);
        Directory.CreateDirectory(_clusterDirectory);
        if (_runAsPostgresUser)
        {
            Run("chown", $"postgres:postgres \"{_clusterDirectory}\"", asPostgres: false);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            RunTool("initdb",
                $"-D \"{DataDirectory}\" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions");
        }

        // Already running (the gateway is up and this is the "users" command, say): use it, and leave it running.
        if (!IsRunning())
        {
            // Stale postmaster.pid after a crash: pg_ctl handles it, as long as no server is really running.
            var options = $"-c listen_addresses='' -p {SocketPort} -k \\\"{SocketDirectory}\\\"";
            RunTool("pg_ctl", $"-D \"{DataDirectory}\" -l \"{Path.Combine(_clusterDirectory, "server.log")}\" " +
                              $"-w -t 60 -o \"{options}\" start");
            _started = true;
        }

        var exists = RunTool("psql",
            $"-h \"{SocketDirectory}\" -p {SocketPort} -U postgres -d postgres -tAc " +
            $"\"SELECT 1 FROM pg_database WHERE datname = '{DatabaseName}'\"");
        if (exists.Trim() != "1")
        {
            RunTool("createdb", $"-h \"{SocketDirectory}\" -p {SocketPort} -U postgres {DatabaseName}");
        }

        Log.Started(_logger, SocketDirectory);
    }

    public void Dispose()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        try
        {
            RunTool("pg_ctl", $"-D \"{DataDirectory}\" -m fast -w -t 60 stop");
            Log.Stopped(_logger, DataDirectory);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (for example by the operator): nothing left to do.
        }
    }

    private bool IsRunning()
    {
        try
        {
            RunTool("pg_ctl", $"-D \"{DataDirectory}\" status");
            return true;
        }
        catch (InvalidOperationException)
        {
            // pg_ctl status exits with 3 when no server runs on the data directory.
            return false;
        }
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            candidates.Add(RunProcess("pg_config", "--bindir").Trim());
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // pg_config comes with the client development package; the Debian paths below cover the server.
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
    }

    private string RunTool(string tool, string arguments) =>
        Run(Path.Combine(_binDirectory, tool), arguments, _runAsPostgresUser);

    private static string Run(string file, string arguments, bool asPostgres) =>
        asPostgres ? RunProcess("runuser", $"-u postgres -- \"{file}\" {arguments}") : RunProcess(file, arguments);

    private static string RunProcess(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {arguments} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = GatewayEventId.EmbeddedPostgresStarting, Level = LogLevel.Information,
            Message = "No connection string configured: running a private PostgreSQL cluster in {DataDirectory} " +
                      "with the binaries in {BinDirectory}")]
        public static partial void Starting(ILogger logger, string dataDirectory, string binDirectory);

        [LoggerMessage(EventId = GatewayEventId.EmbeddedPostgresStarted, Level = LogLevel.Information,
            Message = "Private PostgreSQL cluster is up, listening on the Unix socket in {SocketDirectory}")]
        public static partial void Started(ILogger logger, string socketDirectory);

        [LoggerMessage(EventId = GatewayEventId.EmbeddedPostgresStopped, Level = LogLevel.Information,
            Message = "Private PostgreSQL cluster in {DataDirectory} stopped")]
        public static partial void Stopped(ILogger logger, string dataDirectory);
    }
}
