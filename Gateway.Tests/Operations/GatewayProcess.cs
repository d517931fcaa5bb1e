using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Gateway.Tests.Operations;

/// <summary>
/// The built gateway (Gateway.Api.dll beside the tests) as a child process configured by environment variables,
/// as a deployment runs it. Its output is collected line by line; disposing kills it by its process id.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, int httpPort, int smtpPort)
    {
        _process = process;
        HttpPort = httpPort;
        SmtpPort = smtpPort;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    /// <summary>The SMTP port it is configured with; only a process with the smtp role listens on it.</summary>
    public int SmtpPort { get; }

    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>The API key a process with the web role is provisioned with (Gateway:Api:BootstrapKey).</summary>
    public const string ApiKey = "gwk_proc0000_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

    public HttpClient CreateHttpClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        client.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public static GatewayProcess Start(string connectionString, string roles, IDictionary<string, string> settings)
    {
        var httpPort = Hosting.FreePort.Next();
        var smtpPort = Hosting.FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ConnectionStrings__Gateway"] = connectionString;
        info.Environment["Gateway__Roles"] = roles;
        if (roles.Contains("web", StringComparison.Ordinal))
        {
            // Only the web process stores the key, so two processes starting together never race to insert it.
            info.Environment["Gateway__Api__BootstrapKey"] = ApiKey;
        }

        info.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["Gateway__Smtp__BindAddress"] = "127.0.0.1";
        info.Environment["Gateway__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        return new GatewayProcess(process, httpPort, smtpPort);
    }

    /// <summary>Waits until /health/ready answers 200; fails early, with the process's output, if it exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = CreateHttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Gateway exited with {_process.ExitCode}:\n{string.Join('\n', Output)}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Gateway not ready after {timeout}:\n{string.Join('\n', Output)}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
