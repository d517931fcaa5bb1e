using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The whole gateway in the test process, on real Kestrel sockets: SMTP and HTTP on free loopback ports, a real
/// PostgreSQL database, short relay timings so retries happen within a test.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private GatewayHost(string connectionString, IDictionary<string, string?>? settings)
    {
        SmtpPort = FreePort.Next();
        HttpPort = FreePort.Next();
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = connectionString,
            ["Urls"] = $"http://127.0.0.1:{HttpPort}",
            ["Gateway:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Smtp:BindAddress"] = "127.0.0.1",
            ["Gateway:Smtp:Hostname"] = "gateway.test",
            ["Gateway:Relay:PollInterval"] = "00:00:00.500",
            ["Gateway:Relay:FirstRetryDelay"] = "00:00:01",
            ["Gateway:Relay:MaxRetryDelay"] = "00:00:02",
            ["Gateway:Relay:CommandTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public int SmtpPort { get; }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Starts a gateway against the given database; extra settings override the test defaults.</summary>
    public static GatewayHost Start(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var host = new GatewayHost(connectionString, settings);
        host.UseKestrel();
        host.StartServer();
        return host;
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    /// <summary>An HTTP client holding a new API key with every scope, for tests that use the REST API.</summary>
    public async Task<HttpClient> CreateApiClientAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<Gateway.Core.ApiKeys.ApiKeyService>();
        var all = Gateway.Core.Domain.ApiScope.Read | Gateway.Core.Domain.ApiScope.Send |
                  Gateway.Core.Domain.ApiScope.Manage;
        var created = await keys.CreateAsync("tests", all, [], "tests", CancellationToken.None);
        var client = CreateHttpClient();
        client.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.Token);
        return client;
    }

    public T GetService<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
