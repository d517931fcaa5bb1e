using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Gateway.Tests.Hosting;

namespace Gateway.Tests.Relay;

/// <summary>
/// The built gateway (Gateway.Api.dll from the test's output folder) run as a child process with its settings in
/// environment variables, as an operator would run a second node. Killed by its process id.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private GatewayProcess(Process process, string directory, int smtpPort)
    {
        _process = process;
        _directory = directory;
        SmtpPort = smtpPort;
        Id = process.Id;
    }

    public int Id { get; }

    public int SmtpPort { get; }

    public static async Task<GatewayProcess> StartAsync(string connectionString, IDictionary<string, string> settings)
    {
        var directory = Directory.CreateTempSubdirectory("gw-node.").FullName;
        var smtpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Gateway.Api.dll")}\"")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Gateway"] = connectionString;
        start.Environment["Urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["Gateway__DataDirectory"] = directory;
        start.Environment["Gateway__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Gateway__Smtp__BindAddress"] = "127.0.0.1";
        start.Environment["Gateway__Smtp__Hostname"] = "node.test";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;

        // Drain the child's output so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new GatewayProcess(process, directory, smtpPort);
        await node.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway process exited with code {_process.ExitCode}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", SmtpPort, limit.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, limit.Token);
            }
        }
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no shutdown, no lease released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the temp folder is cleaned by the OS later.
        }
    }
}
