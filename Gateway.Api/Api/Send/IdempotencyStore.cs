using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Api.Api.Send;

/// <summary>
/// Claims an Idempotency-Key for one message id before the message is committed, so two concurrent retries of
/// one request cannot both queue it: the unique key (api key, idempotency key) lets exactly one of them in.
/// A claim whose message never committed (the process died in between) is taken over by a retry once it is older
/// than <see cref="AbandonedAfter"/>, far longer than any commit takes; until then the retry is answered 409.
/// </summary>
public sealed class IdempotencyStore(GatewayDbContext db, NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>How old a claim without a committed message must be before a retry may take it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async Task<(IdempotencyOutcome Outcome, Guid MessageId)> ClaimAsync(
        Guid apiKeyId,
        string key,
        byte[] requestHash,
        Guid messageId,
        CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            """
            INSERT INTO idempotency_keys (api_key_id, key, request_hash, message_id, created_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
            """);
        foreach (var value in new object[] { apiKeyId, key, requestHash, messageId, time.GetUtcNow() })
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        // The row can vanish between the INSERT and the read (released by a failed request, or forgotten by
        // retention): then the INSERT is tried again.
        IdempotencyRecordRow? existing = null;
        for (var attempt = 0; existing is null; attempt++)
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return (IdempotencyOutcome.New, messageId);
            }

            existing = await db.IdempotencyRecords.AsNoTracking()
                .Where(r => r.ApiKeyId == apiKeyId && r.Key == key)
                .Select(r => new IdempotencyRecordRow(r.RequestHash, r.MessageId))
                .FirstOrDefaultAsync(cancellationToken);
            if (existing is null && attempt == 2)
            {
                return (IdempotencyOutcome.InProgress, messageId);
            }
        }

        if (!existing.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return (IdempotencyOutcome.Mismatch, existing.MessageId);
        }

        var committed = await db.Messages.AnyAsync(m => m.Id == existing.MessageId, cancellationToken);
        if (committed)
        {
            return (IdempotencyOutcome.Replay, existing.MessageId);
        }

        return await TakeOverAsync(apiKeyId, key, existing.MessageId, messageId, cancellationToken)
            ? (IdempotencyOutcome.New, messageId)
            : (IdempotencyOutcome.InProgress, existing.MessageId);
    }

    // Moves an abandoned claim to the new message id; of several retries racing for it, one wins (the row must
    // still name the abandoned id), and never while the abandoned message could still be committing.
    private async Task<bool> TakeOverAsync(
        Guid apiKeyId,
        string key,
        Guid abandonedId,
        Guid messageId,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var update = dataSource.CreateCommand(
            """
            UPDATE idempotency_keys SET message_id = $4, created_at = $5
            WHERE api_key_id = $1 AND key = $2 AND message_id = $3 AND created_at < $6
              AND NOT EXISTS (SELECT 1 FROM messages WHERE id = $3)
            """);
        foreach (var value in new object[] { apiKeyId, key, abandonedId, messageId, now, now - AbandonedAfter })
        {
            update.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Frees a key whose message could not be committed, so the client's retry can try again; only while the key
    /// still names that message (a retry may have taken it over since).
    /// </summary>
    public Task ReleaseAsync(Guid apiKeyId, string key, Guid messageId, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.ApiKeyId == apiKeyId && r.Key == key && r.MessageId == messageId)
            .ExecuteDeleteAsync(cancellationToken);

    private sealed record IdempotencyRecordRow(byte[] RequestHash, Guid MessageId);
}
