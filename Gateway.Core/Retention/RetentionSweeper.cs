using Npgsql;

namespace Gateway.Core.Retention;

/// <summary>
/// The statements of the retention job. Each works on one batch of finished messages, oldest first, and skips rows
/// another process holds (<c>FOR UPDATE SKIP LOCKED</c>), so several relay processes may sweep at once.
/// </summary>
public sealed class RetentionSweeper(NpgsqlDataSource dataSource)
{
    // A message is finished when no recipient waits any more and none changed since the cutoff. Its receipt time
    // is never later than its recipients' changes, so the received_at index narrows the candidates first.
    private const string FinishedBefore = """
        m.received_at < $1
        AND NOT EXISTS (
            SELECT 1 FROM recipients AS r
            WHERE r.message_id = m.id AND (r.state IN ('Queued', 'Deferred', 'Held') OR r.updated_at >= $1))
        """;

    /// <summary>Drops the bodies of one batch of messages finished before the cutoff; returns how many.</summary>
    public async Task<int> PurgeBodiesAsync(DateTimeOffset cutoff, DateTimeOffset now, int batchSize,
        CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH batch AS (
                SELECT m.id FROM messages AS m
                WHERE m.body_purged_at IS NULL AND {FinishedBefore}
                ORDER BY m.received_at
                LIMIT $2
                FOR UPDATE OF m SKIP LOCKED
            ), purged AS (
                DELETE FROM message_contents AS c USING batch WHERE c.message_id = batch.id
            )
            UPDATE messages AS m SET body_purged_at = $3 FROM batch WHERE m.id = batch.id
            """;
        return await ExecuteAsync(sql, cancellationToken, cutoff, batchSize, now);
    }

    /// <summary>Deletes one batch of messages finished before the cutoff, with all that hangs off them.</summary>
    public async Task<int> DeleteMessagesAsync(DateTimeOffset cutoff, int batchSize,
        CancellationToken cancellationToken)
    {
        // Recipients, attempts, trace headers and content go by their foreign keys' ON DELETE CASCADE;
        // events carry no foreign key (they are an append-only log), so they are deleted here.
        const string sql = $"""
            WITH batch AS (
                SELECT m.id FROM messages AS m
                WHERE {FinishedBefore}
                ORDER BY m.received_at
                LIMIT $2
                FOR UPDATE OF m SKIP LOCKED
            ), events_gone AS (
                DELETE FROM events AS e USING batch WHERE e.message_id = batch.id
            )
            DELETE FROM messages AS m USING batch WHERE m.id = batch.id
            """;
        return await ExecuteAsync(sql, cancellationToken, cutoff, batchSize);
    }

    /// <summary>Forgets one batch of API idempotency keys claimed before the cutoff.</summary>
    public async Task<int> ForgetIdempotencyKeysAsync(DateTimeOffset cutoff, int batchSize,
        CancellationToken cancellationToken)
    {
        // No index on created_at: the table holds about a day of keys, and the sweep runs every few minutes.
        const string sql = """
            DELETE FROM idempotency_keys AS k
            USING (
                SELECT api_key_id, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
            ) AS old
            WHERE k.api_key_id = old.api_key_id AND k.key = old.key
            """;
        return await ExecuteAsync(sql, cancellationToken, cutoff, batchSize);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
