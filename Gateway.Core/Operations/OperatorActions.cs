using Gateway.Core.Domain;
using Gateway.Core.Ingest;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Gateway.Core.Operations;

/// <summary>
/// Retry now, hold, release and cancel, for one message, one recipient or every match of a filter. The REST API
/// and the dashboard both call this service, so an action means the same thing wherever it is taken.
/// A recipient under a relay lease is being delivered right now; it is counted as in flight and left alone,
/// because the delivery's outcome must not be overwritten by, or overwrite, the operator's change.
/// </summary>
public sealed class OperatorActions(GatewayDbContext db, TimeProvider time)
{
    public async Task<ActionResult> ApplyAsync(
        OperatorAction action,
        ActionTarget target,
        string operatorName,
        CancellationToken cancellationToken)
    {
        var ids = await SelectRecipients(target).Select(r => r.Id).ToArrayAsync(cancellationToken);
        if (ids.Length == 0)
        {
            return new ActionResult(0, 0, 0);
        }

        var (fromStates, kind) = Rule(action);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();

        await using var change = new NpgsqlCommand(
            $"""
            WITH changed AS (
                UPDATE recipients SET {SetClause(action)}, updated_at = $3
                WHERE id = ANY($1) AND state = ANY($2) AND (locked_until IS NULL OR locked_until < $3)
                  {SendableGuard(action)}
                RETURNING id, message_id
            ), recorded AS (
                INSERT INTO events (message_id, recipient_id, kind, at, actor, details)
                SELECT message_id, id, $4, $3, $5, $6 FROM changed
            )
            SELECT count(*) FROM changed
            """, connection, npgsqlTransaction);
        change.Parameters.Add(new NpgsqlParameter { Value = ids });
        change.Parameters.Add(new NpgsqlParameter { Value = fromStates });
        change.Parameters.Add(new NpgsqlParameter { Value = now });
        change.Parameters.Add(new NpgsqlParameter { Value = kind.ToString() });
        change.Parameters.Add(new NpgsqlParameter { Value = operatorName });
        change.Parameters.Add(new NpgsqlParameter { Value = $"{action} by operator {operatorName}" });
        var changed = Convert.ToInt32(await change.ExecuteScalarAsync(cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

        await using var busy = new NpgsqlCommand(
            "SELECT count(*) FROM recipients WHERE id = ANY($1) AND state = ANY($2) AND locked_until >= $3",
            connection, npgsqlTransaction);
        busy.Parameters.Add(new NpgsqlParameter { Value = ids });
        busy.Parameters.Add(new NpgsqlParameter { Value = fromStates });
        busy.Parameters.Add(new NpgsqlParameter { Value = now });
        var inFlight = Convert.ToInt32(await busy.ExecuteScalarAsync(cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

        if (changed > 0 && action is OperatorAction.RetryNow or OperatorAction.Release)
        {
            // Wake the relay workers now rather than at their next poll.
            await using var notify = new NpgsqlCommand($"NOTIFY {GroupCommitIngestor.QueueChannel}", connection,
                npgsqlTransaction);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ActionResult(ids.Length, changed, inFlight);
    }

    private IQueryable<Recipient> SelectRecipients(ActionTarget target)
    {
        if (target.MessageId is { } messageId)
        {
            var recipients = db.Recipients.Where(r => r.MessageId == messageId);
            return target.RecipientAddress is { } address ? recipients.Where(r => r.Address == address) : recipients;
        }

        if (target.Filter is null || target.Filter.IsEmpty)
        {
            throw new ArgumentException("A bulk action needs a filter; an empty one would touch every message.",
                nameof(target));
        }

        return target.Filter.ApplyToRecipients(db.Messages, db.Recipients);
    }

    private static (string[] FromStates, EventKind Kind) Rule(OperatorAction action) => action switch
    {
        OperatorAction.RetryNow => (States(RecipientState.Queued, RecipientState.Deferred, RecipientState.Failed),
            EventKind.Retried),
        OperatorAction.Hold => (States(RecipientState.Queued, RecipientState.Deferred), EventKind.Held),
        OperatorAction.Release => (States(RecipientState.Held), EventKind.Released),
        OperatorAction.Cancel => (States(RecipientState.Queued, RecipientState.Deferred, RecipientState.Held),
            EventKind.Cancelled),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    // A failed recipient that is retried starts over as queued; the relay's maximum queue lifetime still counts
    // from when the message was received.
    private static string SetClause(OperatorAction action) => action switch
    {
        OperatorAction.RetryNow =>
            "state = CASE WHEN state = 'Failed' THEN 'Queued' ELSE state END, next_attempt_at = $3",
        OperatorAction.Hold => "state = 'Held'",
        OperatorAction.Release => "state = 'Queued', next_attempt_at = $3",
        OperatorAction.Cancel => "state = 'Cancelled'",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    // Retention drops the content of finished mail; a recipient of such a message has nothing left to send, so
    // retry and release leave it as it is (counted as matched but not changed).
    private static string SendableGuard(OperatorAction action) => action is OperatorAction.RetryNow or
        OperatorAction.Release
        ? """
          AND NOT EXISTS (SELECT 1 FROM messages AS m
                          WHERE m.id = recipients.message_id AND m.body_purged_at IS NOT NULL)
          """
        : string.Empty;

    private static string[] States(params RecipientState[] states) => [.. states.Select(s => s.ToString())];
}
