using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Gateway.Tests.Hosting;

namespace Gateway.Tests.Faults;

/// <summary>
/// The built gateway (Gateway.Api.dll) as a child process on free loopback ports, so that a test can SIGKILL it,
/// start it again on the same ports and database, and read its memory from /proc.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentLog _log = new();
    private Process? _process;

    private GatewayProcess(Dictionary<string, string> environment, int smtpPort, int httpPort)
    {
        _environment = environment;
        SmtpPort = smtpPort;
        HttpPort = httpPort;
    }

    public int SmtpPort { get; }

    public int HttpPort { get; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The gateway is not running.");

    /// <summary>The last lines the gateway wrote, for failure messages.</summary>
    public string RecentOutput => _log.Text;

    /// <summary>Starts the gateway against the database, relaying to the smarthost, with short relay timings.</summary>
    public static async Task<GatewayProcess> StartAsync(
        string connectionString, int smarthostPort, IDictionary<string, string>? settings = null)
    {
        var smtpPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ConnectionStrings__Gateway"] = connectionString,
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Gateway__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway__Smtp__BindAddress"] = "127.0.0.1",
            ["Gateway__Smtp__Hostname"] = "gateway.test",
            ["Gateway__Relay__Smarthost"] = $"127.0.0.1:{smarthostPort}",
            ["Gateway__Relay__PollInterval"] = "00:00:00.500",
            ["Gateway__Relay__FirstRetryDelay"] = "00:00:01",
            ["Gateway__Relay__MaxRetryDelay"] = "00:00:02",
            ["Gateway__Relay__LeaseDuration"] = "00:00:05",
            ["Gateway__Relay__CommandTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var gateway = new GatewayProcess(environment, smtpPort, httpPort);
        await gateway.StartAgainAsync();
        return gateway;
    }

    /// <summary>Starts the process (again) on the same ports and waits until SMTP and HTTP answer.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
        };
        start.ArgumentList.Add(ApiAssembly);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilServingAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Resident set size now, in MiB (VmRSS).</summary>
    public long ResidentMegabytes() => StatusValue("VmRSS:") / 1024;

    /// <summary>Peak resident set size since start or since <see cref="ResetPeak"/>, in MiB (VmHWM).</summary>
    public long PeakResidentMegabytes() => StatusValue("VmHWM:") / 1024;

    public void ResetPeak() => File.WriteAllText($"/proc/{ProcessId}/clear_refs", "5");

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private static string ApiAssembly
    {
        get
        {
            // The test output holds Gateway.Api.dll (a project reference); its runtimeconfig makes it runnable.
            var beside = Path.Combine(AppContext.BaseDirectory, "Gateway.Api.dll");
            if (File.Exists(Path.Combine(AppContext.BaseDirectory, "Gateway.Api.runtimeconfig.json")))
            {
                return beside;
            }

            // Otherwise the API project's own output for the same configuration and framework.
            var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var root = AppContext.BaseDirectory[..AppContext.BaseDirectory.LastIndexOf(
                $"{Path.DirectorySeparatorChar}Gateway.Tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal)];
            return Path.Combine(root, "Gateway.Api", "bin", configuration, framework, "Gateway.Api.dll");
        }
    }

    private long StatusValue(string field)
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = CreateHttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode}:\n{RecentOutput}");
            }

            if (await IsSmtpListeningAsync() && await IsHttpServingAsync(http))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                // Do not leave a half-started gateway running after the test run.
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The gateway did not start within {timeout}:\n{RecentOutput}");
            }

            await Task.Delay(100);
        }
    }

    private async Task<bool> IsSmtpListeningAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", SmtpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> IsHttpServingAsync(HttpClient http)
    {
        try
        {
            // Any answer from the API, 401 without a key included, means the host has started its listeners.
            using var response = await http.GetAsync(new Uri("/api/v1/messages?limit=1", UriKind.Relative));
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Unauthorized;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
