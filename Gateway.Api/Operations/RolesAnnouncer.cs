using Gateway.Api.Hosting;
using Gateway.Core.Logging;

namespace Gateway.Api.Operations;

/// <summary>Says at start-up which roles this process runs, so a misconfigured node shows in its first lines.</summary>
public sealed partial class RolesAnnouncer(IConfiguration configuration, ILogger<RolesAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogRoles(logger, GatewayRoles.From(configuration).ToString());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = GatewayEventId.RolesStarted, Level = LogLevel.Information,
        Message = "This process runs the roles {Roles}")]
    private static partial void LogRoles(ILogger logger, string roles);
}
