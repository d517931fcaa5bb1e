using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Api.Api.Send;

/// <summary>
/// Claims an Idempotency-Key for one message id before the message is committed, so two concurrent retries of
/// one request cannot both queue it: the unique key (api key, idempotency key) lets exactly one of them in.
/// Known limitation: if the process dies between the claim and the commit, the key stays claimed by a message
/// that does not exist and a retry is answered 409 until the key is forgotten (see docs/api.md).
/// </summary>
public sealed class IdempotencyStore(GatewayDbContext db, NpgsqlDataSource dataSource, TimeProvider time)
{
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

        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return (IdempotencyOutcome.New, messageId);
        }

        var existing = await db.IdempotencyRecords.AsNoTracking()
            .FirstAsync(r => r.ApiKeyId == apiKeyId && r.Key == key, cancellationToken);
        if (!existing.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return (IdempotencyOutcome.Mismatch, existing.MessageId);
        }

        var committed = await db.Messages.AnyAsync(m => m.Id == existing.MessageId, cancellationToken);
        return (committed ? IdempotencyOutcome.Replay : IdempotencyOutcome.InProgress, existing.MessageId);
    }

    /// <summary>Frees a key whose message could not be committed, so the client's retry can try again.</summary>
    public Task ReleaseAsync(Guid apiKeyId, string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.ApiKeyId == apiKeyId && r.Key == key)
            .ExecuteDeleteAsync(cancellationToken);
}
