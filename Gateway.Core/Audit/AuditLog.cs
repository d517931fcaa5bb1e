using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Core.Audit;

/// <summary>Records and lists operator actions. Entries are only ever added.</summary>
public sealed class AuditLog(GatewayDbContext db, TimeProvider time)
{
    public async Task RecordAsync(string operatorName, string action, string? target, string? details,
        CancellationToken cancellationToken)
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            Operator = operatorName,
            Action = action,
            Target = target,
            Details = details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Newest first; <paramref name="beforeId"/> continues after the last entry of the previous page.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long? beforeId, int count,
        CancellationToken cancellationToken)
    {
        var entries = db.AuditLog.AsNoTracking();
        if (beforeId is { } before)
        {
            entries = entries.Where(a => a.Id < before);
        }

        return await entries.OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
    }
}
