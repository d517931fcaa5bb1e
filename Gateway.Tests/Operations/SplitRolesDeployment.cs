using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>
/// Two gateway processes on one fresh database: one with the smtp role (logging JSON), one with relay and web,
/// both relaying to a downstream server the test controls. Both start at once, as compose or systemd would start
/// them, so concurrent start-up migrations are part of what is tested.
/// </summary>
public sealed class SplitRolesDeployment : IAsyncLifetime
{
    public DownstreamSmtpServer Downstream { get; } = new();

    public GatewayProcess Smtp { get; private set; } = null!;

    public GatewayProcess Relay { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        var common = new Dictionary<string, string>
        {
            ["Gateway__Relay__Smarthost"] = $"127.0.0.1:{Downstream.Port}",
            ["Gateway__Relay__PollInterval"] = "00:00:00.500",
        };

        Smtp = GatewayProcess.Start(database, "smtp",
            new Dictionary<string, string>(common) { ["Logging__Console__FormatterName"] = "json" });
        Relay = GatewayProcess.Start(database, "relay,web", common);
        await Task.WhenAll(Smtp.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)),
            Relay.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
    }

    public async Task DisposeAsync()
    {
        Smtp?.Dispose();
        Relay?.Dispose();
        await Downstream.DisposeAsync();
    }
}
