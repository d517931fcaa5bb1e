using System.Diagnostics;
using Npgsql;

namespace Gateway.Tests.Security;

/// <summary>
/// A default installation probed from another host: the real executable, with the shipped appsettings.json and no
/// other configuration (so its private PostgreSQL cluster too), runs in a network namespace of its own; a client in
/// a second namespace reaches it over a veth pair at 10.213.x.1 and tries to relay.
/// </summary>
public sealed class OpenRelayProbeTests
{
    // Speaks SMTP to host:port (retrying the connect while the gateway starts); prints each reply on one line.
    private const string ProbeScript = """
        import socket, sys, time
        host, port, commands = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
        deadline = time.time() + 180
        while True:
            try:
                s = socket.create_connection((host, port), timeout=30)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        f = s.makefile("rwb")
        def reply():
            lines = [f.readline().decode().rstrip("\r\n")]
            while lines[-1][3:4] == "-":
                lines.append(f.readline().decode().rstrip("\r\n"))
            print(" | ".join(lines), flush=True)
        reply()
        for command in commands:
            f.write(command.encode() + b"\r\n")
            f.flush()
            reply()
        """;

    [NetworkNamespaceFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DefaultInstallation_ProbedFromAnotherHost_IsNotAnOpenRelay()
    {
        var directory = Directory.CreateTempSubdirectory("gw-default.").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101); // the postgres user must reach its cluster
        File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(directory, "appsettings.json"));
        var script = Path.Combine(directory, "probe.py");
        await File.WriteAllTextAsync(script, ProbeScript);
        await using var spaces = await NetworkNamespaces.CreateAsync();
        var gateway = StartGateway(spaces.Server, directory);
        try
        {
            string[] relayAttempt = ["EHLO probe.test", "MAIL FROM:<spammer@example.net>",
                "RCPT TO:<victim@example.org>", "DATA", "QUIT"];
            var fromOutside = await ProbeAsync(spaces.Client, script, spaces.ServerAddress, relayAttempt);

            // The control: the same gateway does relay for a client on its own loopback (the default trusted
            // network), so the refusal above is about where the client is, not a broken listener.
            var fromLoopback = await ProbeAsync(spaces.Server, script, "127.0.0.1",
                ["EHLO control.test", "MAIL FROM:<app@example.net>", "RCPT TO:<someone@example.org>", "RSET",
                    "QUIT"]);

            Assert.StartsWith("220 ", fromOutside[0], StringComparison.Ordinal);
            Assert.DoesNotContain("AUTH", fromOutside[1], StringComparison.Ordinal);
            Assert.StartsWith("250 ", fromOutside[2], StringComparison.Ordinal);
            Assert.Equal("554 5.7.1 Relay access denied", fromOutside[3]);
            Assert.StartsWith("503 ", fromOutside[4], StringComparison.Ordinal);
            Assert.StartsWith("250 2.1.5", fromLoopback[3], StringComparison.Ordinal);
            Assert.Equal(0L, await CountMessagesAsync(directory));
        }
        finally
        {
            await StopGatewayAsync(gateway, directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process StartGateway(string space, string directory)
    {
        var start = new ProcessStartInfo("ip")
        {
            ArgumentList = { "netns", "exec", space, "dotnet", Path.Combine(AppContext.BaseDirectory, "Gateway.Api.dll") },
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Nothing from the test run's own environment may configure this "default" gateway.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Gateway__", StringComparison.Ordinal) ||
                     k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k is "Urls" or "ASPNETCORE_URLS")
                     .ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string[]> ProbeAsync(string space, string script, string host, string[] commands)
    {
        var output = await NetworkNamespaces.RunAsync(
            ["ip", "netns", "exec", space, "python3", script, host, "2525", .. commands]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<long> CountMessagesAsync(string directory)
    {
        var socketDirectory = Path.Combine(directory, "data", "postgres");
        await using var connection = new NpgsqlConnection(
            $"Host={socketDirectory};Port=5432;Username=postgres;Database=gateway;Pooling=false");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM messages", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    // SIGTERM lets the gateway stop its private PostgreSQL cluster; if it does not, stop the cluster ourselves.
    private static async Task StopGatewayAsync(Process gateway, string directory)
    {
        using (gateway)
        {
            await NetworkNamespaces.RunAsync("kill", "-TERM", gateway.Id.ToString(
                System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await gateway.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                gateway.Kill(entireProcessTree: true);
            }
        }

        var cluster = Path.Combine(directory, "data", "postgres", "pgdata");
        if (File.Exists(Path.Combine(cluster, "postmaster.pid")))
        {
            await NetworkNamespaces.RunAsync("runuser", "-u", "postgres", "--",
                "/usr/lib/postgresql/15/bin/pg_ctl", "-D", cluster, "-m", "immediate", "-w", "stop");
        }
    }
}
