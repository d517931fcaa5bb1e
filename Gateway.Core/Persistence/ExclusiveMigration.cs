using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Gateway.Core.Persistence;

/// <summary>
/// Applies migrations while holding a PostgreSQL advisory lock, so that gateway processes starting together on one
/// database take turns. EF Core's own migration lock did not prevent two processes from both applying the same
/// migration to an empty database (seen in the split-roles test: "column already exists"), so we serialise first.
/// </summary>
public static class ExclusiveMigration
{
    // A fixed key of our own for pg_advisory_lock: the bytes of "gatewaym".
    private const long LockKey = 0x67617465_7761796D;

    public static async Task MigrateExclusivelyAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        // One connection for lock, migrations and unlock: the advisory lock belongs to the session.
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            try
            {
                // EF Core reads its history table before creating it, and logs that failed read as an error on
                // every empty database (a known EF Core behaviour, not a fault); create it first with EF's own script.
                var history = database.GetService<IHistoryRepository>();
                await database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
                await database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
