using Gateway.Core.ApiKeys;
using Gateway.Core.Audit;
using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Persistence;
using Gateway.Core.Queries;
using Gateway.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Dashboard;

/// <summary>
/// What the pages read. A circuit lives long and its timers run concurrently with clicks, so every read takes its
/// own scope and DbContext instead of sharing the circuit's.
/// </summary>
public sealed partial class DashboardData(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<MessagePage> MessagesAsync(MessageQuery query, MessageCursor? after, int size,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var messages = query.ToFilter().Apply(db.Messages.AsNoTracking());
        if (query.SearchPattern() is { } pattern)
        {
            messages = messages.Where(m =>
                (m.Subject != null && EF.Functions.ILike(m.Subject, pattern, "\\")) ||
                EF.Functions.ILike(m.ReversePath, pattern, "\\") ||
                (m.MessageIdHeader != null && EF.Functions.ILike(m.MessageIdHeader, pattern, "\\")) ||
                m.Recipients.Any(r => EF.Functions.ILike(r.Address, pattern, "\\")));
        }

        if (after is { } cursor)
        {
            // Keyset, never OFFSET: the (received_at, id) index finds the page at any depth.
            messages = messages.Where(m => m.ReceivedAt < cursor.ReceivedAt ||
                                           (m.ReceivedAt == cursor.ReceivedAt && m.Id.CompareTo(cursor.Id) < 0));
        }

        var rows = await messages
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Take(size + 1)
            .Select(m => new MessageRow(
                m.Id,
                m.ReceivedAt,
                m.ReversePath,
                m.Subject,
                m.Recipients.Count,
                m.Recipients.OrderBy(r => r.Id).Select(r => r.Address).FirstOrDefault(),
                m.Recipients.Select(r => r.State).Distinct().ToList()))
            .ToListAsync(cancellationToken);
        var next = rows.Count > size ? new MessageCursor(rows[size - 1].ReceivedAt, rows[size - 1].Id) : null;
        return new MessagePage(rows.Count > size ? rows[..size] : rows, next);
    }

    public async Task<MessageView?> MessageAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var message = await db.Messages.AsNoTracking().AsSplitQuery()
            .Include(m => m.Recipients.OrderBy(r => r.Id)).ThenInclude(r => r.Attempts.OrderBy(a => a.Id))
            .Include(m => m.TraceHeaders.OrderBy(t => t.Position))
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return null;
        }

        var events = await db.Events.AsNoTracking().Where(e => e.MessageId == id).OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var raw = await db.MessageContents.AsNoTracking().Where(c => c.MessageId == id).Select(c => c.Data)
            .FirstOrDefaultAsync(cancellationToken) ?? [];
        return new MessageView(
            message,
            Timeline.Build(events, message.Recipients),
            [.. message.TraceHeaders.Select(t => ReceivedHeaderParser.Parse(t.Value))],
            raw,
            TryParse(raw));
    }

    public Task<IReadOnlyList<SmtpUser>> SmtpUsersAsync(CancellationToken cancellationToken) =>
        ReadAsync<SmtpUserService, IReadOnlyList<SmtpUser>>(s => s.ListAsync(cancellationToken));

    public Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken cancellationToken) =>
        ReadAsync<ApiKeyService, IReadOnlyList<ApiKey>>(s => s.ListAsync(cancellationToken));

    public Task<IReadOnlyList<Operator>> OperatorsAsync(CancellationToken cancellationToken) =>
        ReadAsync<OperatorService, IReadOnlyList<Operator>>(s => s.ListAsync(cancellationToken));

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(long? beforeId, int count,
        CancellationToken cancellationToken) =>
        ReadAsync<AuditLog, IReadOnlyList<AuditEntry>>(s => s.ListAsync(beforeId, count, cancellationToken));

    private async Task<TResult> ReadAsync<TService, TResult>(Func<TService, Task<TResult>> read)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static MessageParts? TryParse(byte[] raw)
    {
        try
        {
            return raw.Length == 0 ? null : MessageParts.Parse(raw);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
