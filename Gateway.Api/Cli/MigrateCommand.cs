using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Cli;

/// <summary>Applies pending migrations and lists them; for deployments that migrate before starting.</summary>
public sealed class MigrateCommand : ICliCommand
{
    public string Name => "migrate";

    public string Summary => "applies pending database migrations (the server also does at start-up)";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateExclusivelyAsync(cancellationToken);
        foreach (var migration in pending)
        {
            await context.Output.WriteLineAsync($"applied {migration}");
        }

        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        await context.Output.WriteLineAsync($"database schema is up to date ({applied} migrations)");
        return 0;
    }
}
