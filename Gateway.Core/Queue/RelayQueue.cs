using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Gateway.Core.Ingest;
using Npgsql;

namespace Gateway.Core.Queue;

/// <summary>
/// The relay's view of the queue in PostgreSQL: claim due recipients under a lease, read what to send, record
/// what happened. Leases make it safe for many workers on many nodes: a claim skips rows another worker holds
/// (<c>FOR UPDATE SKIP LOCKED</c>), and a worker that dies simply lets its lease run out.
/// </summary>
public sealed class RelayQueue(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Claims due recipients under a lease, whole messages at a time: the message row is the claim's lock, so two
    /// workers claiming at once never split one message's recipients between them (which would cost the next hop
    /// a second transaction). <paramref name="limit"/> bounds the due recipients looked at; every due recipient of
    /// the messages they belong to is claimed with them.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedRecipient>> ClaimAsync(
        string workerId,
        int limit,
        TimeSpan lease,
        CancellationToken cancellationToken)
    {
        // A message another worker is claiming right now is skipped (SKIP LOCKED on its row); once that claim has
        // committed, its recipients no longer pass the lease test, which the UPDATE re-checks on the newest row.
        const string sql = """
            WITH due AS (
                SELECT DISTINCT message_id FROM (
                    SELECT message_id FROM recipients
                    WHERE state IN ('Queued', 'Deferred') AND next_attempt_at <= $3
                      AND (locked_until IS NULL OR locked_until < $3)
                    ORDER BY next_attempt_at
                    LIMIT $4
                ) AS first_due
            ),
            claimable AS (
                SELECT m.id FROM messages AS m JOIN due ON due.message_id = m.id
                FOR NO KEY UPDATE OF m SKIP LOCKED
            )
            UPDATE recipients AS r
            SET locked_until = $2, locked_by = $1
            FROM claimable
            WHERE r.message_id = claimable.id AND r.state IN ('Queued', 'Deferred') AND r.next_attempt_at <= $3
              AND (r.locked_until IS NULL OR r.locked_until < $3)
            RETURNING r.id, r.message_id, r.address, r.attempt_count, r.delay_notified_at IS NOT NULL,
                r.dsn_notify, r.dsn_original_recipient
            """;

        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = workerId });
        command.Parameters.Add(new NpgsqlParameter { Value = now + lease });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });

        var claimed = new List<ClaimedRecipient>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedRecipient(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3))
            {
                DelayNotified = reader.GetBoolean(4),
                Notify = reader.IsDBNull(5) ? null : reader.GetString(5),
                OriginalRecipient = reader.IsDBNull(6) ? null : reader.GetString(6),
            });
        }

        return claimed;
    }

    /// <summary>
    /// Extends this worker's lease on those of <paramref name="recipientIds"/> it still holds, so a batch that takes
    /// longer than one lease is not claimed (and sent again) by another worker. Returns the ids still held.
    /// </summary>
    public async Task<HashSet<long>> RenewAsync(
        string workerId,
        IReadOnlyCollection<long> recipientIds,
        TimeSpan lease,
        CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE recipients SET locked_until = $3
            WHERE id = ANY($1) AND locked_by = $2 AND locked_until >= $4
            RETURNING id
            """;

        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = recipientIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = workerId });
        command.Parameters.Add(new NpgsqlParameter { Value = now + lease });
        command.Parameters.Add(new NpgsqlParameter { Value = now });

        var held = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetInt64(0));
        }

        return held;
    }

    public async Task<IReadOnlyDictionary<Guid, QueuedMessage>> LoadAsync(
        IEnumerable<Guid> messageIds,
        CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT m.id, m.reverse_path, m.received_at, c.data, m.dsn_envelope_id, m.dsn_return, m.body_type,
                m.smtp_utf8
            FROM messages AS m JOIN message_contents AS c ON c.message_id = m.id
            WHERE m.id = ANY($1)
            """;

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = messageIds.Distinct().ToArray() });

        var messages = new Dictionary<Guid, QueuedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = new QueuedMessage(reader.GetGuid(0), reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3))
            {
                EnvelopeId = reader.IsDBNull(4) ? null : reader.GetString(4),
                Return = reader.IsDBNull(5) ? null : reader.GetString(5),
                BodyType = reader.IsDBNull(6) ? null : reader.GetString(6),
                SmtpUtf8 = reader.GetBoolean(7),
            };
            messages.Add(message.Id, message);
        }

        return messages;
    }

    /// <summary>
    /// Records attempts and moves recipients to their new state, in one transaction. A result is only applied
    /// while this worker still holds the lease; returns how many were applied. <paramref name="notices"/> gets the
    /// applied results and returns the status notifications to queue with them, in the same transaction.
    /// </summary>
    /// <remarks>
    /// The commit does not wait for its WAL flush (<c>synchronous_commit = off</c> for this transaction only): if
    /// PostgreSQL itself crashes within a fraction of a second after it, the results are lost together with the
    /// notices they queued, the recipients go back to their leased state, and are delivered again once the lease
    /// runs out. That costs a duplicate at the next hop, never a message; accepting mail keeps the synchronous
    /// commit (docs/benchmarks.md).
    /// </remarks>
    public async Task<int> RecordAsync(
        string workerId,
        IReadOnlyList<DeliveryResult> results,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<DeliveryResult>, IReadOnlyList<StatusNotice>>? notices = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var appliedIds = await RecordResultsAsync(connection, transaction, workerId, results, cancellationToken);
        var applied = results.Where(r => appliedIds.Contains(r.Recipient.Id)).ToList();

        var queued = notices is null || applied.Count == 0 ? [] : notices(applied);
        if (queued.Count > 0)
        {
            await QueueNoticesAsync(connection, transaction, queued, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied.Count;
    }

    private static async Task QueueNoticesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<StatusNotice> notices,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var notice in notices)
        {
            GroupCommitIngestor.AddCommands(batch, notice.Message);
            batch.BatchCommands.Add(SqlValues.Batch(
                "INSERT INTO events (message_id, kind, at, details) VALUES ($1, $2, $3, $4)",
                notice.AboutMessageId, notice.Kind.ToString(), notice.Message.ReceivedAt,
                $"notice {notice.Message.Id} to <{string.Join(", ", notice.Message.Recipients)}>"));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {GroupCommitIngestor.QueueChannel}"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    // One round trip for any number of results: the update, the attempt and the event of every result are one
    // statement over arrays. Fencing: a result only applies while our lease stands, so a worker whose lease ran
    // out (and whose recipient another worker took over) cannot overwrite the newer outcome.
    private static async Task<HashSet<long>> RecordResultsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string workerId,
        IReadOnlyList<DeliveryResult> results,
        CancellationToken cancellationToken)
    {
        const string sql = """
            WITH result AS (
                SELECT * FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::timestamptz[], $6::int[], $7::text[],
                    $8::text[], $9::timestamptz[], $10::timestamptz[], $11::boolean[], $12::timestamptz[],
                    $13::float8[], $14::text[], $15::text[], $16::text[], $17::text[]) WITH ORDINALITY
                    AS t(id, message_id, state, next_attempt_at, reply_code, enhanced_code, reply_text, delivered_at,
                        finished_at, delay_notice, started_at, duration_ms, next_hop, tls_protocol, outcome, details,
                        position)
            ),
            updated AS (
                UPDATE recipients AS r
                SET state = result.state, attempt_count = r.attempt_count + 1,
                    next_attempt_at = COALESCE(result.next_attempt_at, r.next_attempt_at),
                    locked_until = NULL, locked_by = NULL, last_reply_code = result.reply_code,
                    last_enhanced_code = result.enhanced_code, last_reply_text = result.reply_text,
                    delivered_at = result.delivered_at, updated_at = result.finished_at,
                    delay_notified_at = CASE WHEN result.delay_notice THEN result.finished_at
                                             ELSE r.delay_notified_at END
                FROM result
                WHERE r.id = result.id AND r.locked_by = $1
                RETURNING r.id
            ),
            attempts AS (
                INSERT INTO delivery_attempts (recipient_id, message_id, started_at, duration_ms, next_hop,
                    tls_protocol, reply_code, enhanced_code, reply_text, outcome)
                SELECT result.id, result.message_id, result.started_at, result.duration_ms, result.next_hop,
                    result.tls_protocol, result.reply_code, result.enhanced_code, result.reply_text, result.outcome
                FROM result JOIN updated ON updated.id = result.id
                ORDER BY result.position
            )
            INSERT INTO events (message_id, recipient_id, kind, at, actor, details)
            SELECT result.message_id, result.id, result.outcome, result.finished_at, $1, result.details
            FROM result JOIN updated ON updated.id = result.id
            ORDER BY result.position
            RETURNING recipient_id
            """;

        var rows = results.Select(ResultRow.Of).ToList();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"));
        batch.BatchCommands.Add(SqlValues.Batch(sql, workerId,
            rows.Select(r => r.Result.Recipient.Id).ToArray(),
            rows.Select(r => r.Result.Recipient.MessageId).ToArray(),
            rows.Select(r => r.State).ToArray(),
            rows.Select(r => r.Result.NextAttemptAt).ToArray(),
            rows.Select(r => r.Result.ReplyCode).ToArray(),
            rows.Select(r => r.Result.EnhancedCode).ToArray(),
            rows.Select(r => r.Result.ReplyText).ToArray(),
            rows.Select(r => r.DeliveredAt).ToArray(),
            rows.Select(r => r.FinishedAt).ToArray(),
            rows.Select(r => r.Result.DelayNotice).ToArray(),
            rows.Select(r => r.Result.StartedAt).ToArray(),
            rows.Select(r => r.Result.DurationMs).ToArray(),
            rows.Select(r => r.Result.NextHop).ToArray(),
            rows.Select(r => r.Result.TlsProtocol).ToArray(),
            rows.Select(r => r.Result.Outcome.ToString()).ToArray(),
            rows.Select(r => r.Details).ToArray()));

        var applied = new HashSet<long>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt64(0));
        }

        return applied;
    }
}
