using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gateway.Api.Operations;

/// <summary>
/// Ready only when the database's schema has every migration this build knows. Once it has, the answer is kept:
/// migrations are never un-applied under a running process, and the check then costs nothing.
/// </summary>
public sealed class MigrationsHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (_applied)
        {
            return HealthCheckResult.Healthy("Schema is up to date");
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}");
            }

            _applied = true;
            return HealthCheckResult.Healthy("Schema is up to date");
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException
                                       or OperationCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Could not read the migrations history", ex);
        }
    }
}
