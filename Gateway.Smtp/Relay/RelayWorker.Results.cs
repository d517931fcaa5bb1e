using Gateway.Core.Domain;
using Gateway.Core.Queue;
using Gateway.Smtp.Logging;

namespace Gateway.Smtp.Relay;

public sealed partial class RelayWorker
{
    // The results of one transaction: a verdict per recipient, in order, turned into what the queue records.
    private TransactionResults ResultsOf(PendingTransaction transaction, Attempt attempt, List<Verdict> verdicts)
    {
        var now = time.GetUtcNow();
        var results = transaction.Recipients.Select((recipient, i) => Result(transaction.Message, recipient,
            attempt, verdicts[i], now)).ToList();
        return new TransactionResults(transaction.Message, results);
    }

    // Records the results of some transactions in one commit, with the notices their senders asked for.
    private async Task RecordAsync(
        string owner,
        IReadOnlyList<TransactionResults> transactions,
        CancellationToken cancellationToken)
    {
        var messages = transactions.Select(t => t.Message).DistinctBy(m => m.Id).ToDictionary(m => m.Id);
        IReadOnlyList<StatusNotice> queued = [];
        await queue.RecordAsync(owner, transactions.SelectMany(t => t.Results).ToList(), cancellationToken,
            applied =>
            {
                queued = applied.GroupBy(r => r.Recipient.MessageId)
                    .SelectMany(g => notifier.NoticesFor(messages[g.Key], g.ToList()))
                    .ToList();
                return queued;
            });
        foreach (var transaction in transactions)
        {
            Log(transaction.Message, transaction.Results);
        }

        foreach (var notice in queued)
        {
            RelayLog.NoticeQueued(logger, notice.AboutMessageId, notice.Kind.ToString(), notice.Message.Id,
                messages[notice.AboutMessageId].ReversePath);
        }
    }

    private DeliveryResult Result(
        QueuedMessage message,
        ClaimedRecipient recipient,
        Attempt attempt,
        Verdict verdict,
        DateTimeOffset now)
    {
        var outcome = verdict.Outcome;
        var text = verdict.Text;
        DateTimeOffset? next = null;
        if (outcome == AttemptOutcome.Deferred)
        {
            next = _schedule.NextAttempt(recipient.AttemptCount + 1, message.ReceivedAt, now);
            if (next is null)
            {
                outcome = AttemptOutcome.Failed;
                text = $"Gave up after the maximum queue lifetime; last error: {text}";
            }
        }

        return new DeliveryResult(recipient, outcome, attempt.StartedAt, attempt.DurationMs, attempt.NextHop,
            verdict.Code, verdict.EnhancedCode, text, next)
        {
            TlsProtocol = attempt.TlsProtocol,
            DelayNotice = outcome == AttemptOutcome.Deferred && notifier.IsDelayNoticeDue(message, recipient, now),
            DsnPassedOn = attempt.DsnPassedOn,
        };
    }

    private void Log(QueuedMessage message, List<DeliveryResult> results)
    {
        if (results.Count > 0)
        {
            metrics.AttemptFinished(results.Max(r => r.Outcome), TimeSpan.FromMilliseconds(results[0].DurationMs));
        }

        var queueId = message.Id.ToString("N");
        foreach (var result in results)
        {
            metrics.RecipientAttempted(result.Outcome);
            var reply = result.ReplyCode is null ? result.ReplyText : $"{result.ReplyCode} {result.ReplyText}";
            switch (result.Outcome)
            {
                case AttemptOutcome.Delivered:
                    var delay = result.StartedAt - message.ReceivedAt + TimeSpan.FromMilliseconds(result.DurationMs);
                    metrics.RecipientDelivered(delay);
                    RelayLog.Delivered(logger, queueId, result.Recipient.Address, result.NextHop,
                        delay.TotalMilliseconds, reply);
                    break;
                case AttemptOutcome.Deferred:
                    RelayLog.Deferred(logger, queueId, result.Recipient.Address, result.NextHop, reply,
                        result.NextAttemptAt);
                    break;
                default:
                    RelayLog.Failed(logger, queueId, result.Recipient.Address, result.NextHop, reply);
                    break;
            }
        }
    }
}
