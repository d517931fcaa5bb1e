using Gateway.Core.Domain;
using Npgsql;

namespace Gateway.Core.Events;

/// <summary>
/// The events log read in commit order, without gaps, for pollers and webhooks.
/// <para>
/// Event ids come from an identity sequence, handed out when a row is inserted, not when its transaction commits:
/// a transaction holding id 7 may commit after one holding id 8. A reader that had moved past 8 would never see 7.
/// So the feed orders by (writing transaction id, event id) and shows only events whose transaction is older than
/// every transaction still running (<c>pg_snapshot_xmin</c> of the current snapshot). Any event that becomes
/// visible later belongs to a transaction at or above that horizon, so it sorts after everything already shown.
/// The price: a long-running transaction anywhere on the server holds the feed back until it ends.
/// </para>
/// </summary>
public sealed class EventFeed(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<FeedEvent>> ReadAsync(
        EventCursor after,
        int limit,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT e.xid, e.id, e.kind, e.at, e.message_id, r.address, e.actor, e.details
            FROM events AS e LEFT JOIN recipients AS r ON r.id = e.recipient_id
            WHERE (e.xid, e.id) > ($1, $2)
              AND e.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
            ORDER BY e.xid, e.id
            LIMIT $3
            """;

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = after.TransactionId });
        command.Parameters.Add(new NpgsqlParameter { Value = after.EventId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });

        var events = new List<FeedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var cursor = new EventCursor(reader.GetInt64(0), reader.GetInt64(1));
            events.Add(new FeedEvent(
                cursor.ToString(),
                cursor.EventId,
                Enum.Parse<EventKind>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return events;
    }

    /// <summary>The position just before every event not yet visible: where a new subscriber starts.</summary>
    public async Task<EventCursor> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1");
        var xid = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new EventCursor(xid, long.MaxValue);
    }
}
