using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Api.Operations;

/// <summary>
/// Ready once the host has started, which Kestrel only lets happen after every endpoint (HTTP and, in the smtp role,
/// SMTP) is bound; a bind failure stops the process instead. Reports the addresses it listens on.
/// </summary>
public sealed class ListenersHealthCheck(IHostApplicationLifetime lifetime, IServer server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Shutting down"));
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Listeners are not bound yet"));
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return Task.FromResult(HealthCheckResult.Healthy($"Listening on {string.Join(", ", addresses)}"));
    }
}
