using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Api;

/// <summary>An <see cref="ApiTestHost"/> whose relay delivers to a downstream SMTP sink on loopback.</summary>
public sealed class RelayingApiTestHost : IAsyncLifetime
{
    public DownstreamSmtpServer Downstream { get; } = new();

    public ApiTestHost Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = ApiTestHost.With(new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{Downstream.Port}",
        });
        await Api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Downstream.DisposeAsync();
    }
}
