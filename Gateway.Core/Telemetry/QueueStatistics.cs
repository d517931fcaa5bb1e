using Gateway.Core.Domain;
using Npgsql;

namespace Gateway.Core.Telemetry;

/// <summary>
/// Reads the queue's depth and age from PostgreSQL. Only recipients still in the queue are counted, which the
/// partial index on due recipients keeps cheap; delivered and failed rows, the bulk of the table, are not read.
/// </summary>
public sealed class QueueStatistics(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<QueueSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.state, count(*), min(m.received_at) FILTER (WHERE r.state IN ('Queued', 'Deferred'))
            FROM recipients AS r JOIN messages AS m ON m.id = r.message_id
            WHERE r.state IN ('Queued', 'Deferred', 'Held')
            GROUP BY r.state
            """;

        var waiting = QueueSnapshot.QueueStates.ToDictionary(s => s, _ => 0L);
        DateTimeOffset? oldest = null;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = Enum.Parse<RecipientState>(reader.GetString(0));
            waiting[state] = reader.GetInt64(1);
            if (!reader.IsDBNull(2))
            {
                var received = reader.GetFieldValue<DateTimeOffset>(2);
                oldest = oldest is null || received < oldest ? received : oldest;
            }
        }

        var now = time.GetUtcNow();
        var age = oldest is null ? TimeSpan.Zero : now - oldest.Value;
        return new QueueSnapshot(waiting, age < TimeSpan.Zero ? TimeSpan.Zero : age, now);
    }
}
