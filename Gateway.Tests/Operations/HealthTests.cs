using System.Net;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>Readiness follows the database: unready while PostgreSQL is down, ready again once it is back.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // A server of its own, since this test stops it.
        _postgres = await PostgresServer.StartAsync();
        _gateway = GatewayHost.Start(await _postgres.CreateDatabaseAsync("health"));
        _http = _gateway.CreateHttpClient();
    }

    [Fact]
    public async Task Ready_WhileDatabaseDown_Answers503ThenRecovers()
    {
        var before = await _http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var report = await before.Content.ReadAsStringAsync();
        Assert.Contains("\"database\"", report, StringComparison.Ordinal);
        Assert.Contains("\"migrations\"", report, StringComparison.Ordinal);
        Assert.Contains("\"listeners\"", report, StringComparison.Ordinal);

        await _postgres.StopAsync();
        var down = await Eventually.HoldsAsync(() => _http.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "503 from /health/ready");
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", await down.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health/live")).StatusCode);

        await _postgres.StartAgainAsync();
        await Eventually.HoldsAsync(() => _http.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "200 from /health/ready");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
