using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Hosting;

/// <summary>Applies pending EF Core migrations before the listeners open (hosted services start before Kestrel).</summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        await db.Database.MigrateExclusivelyAsync(cancellationToken);
        LogMigrated(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = Core.Logging.GatewayEventId.MigrationsApplied, Level = LogLevel.Information,
        Message = "Database schema is up to date")]
    private static partial void LogMigrated(ILogger logger);
}
