using System.Diagnostics;
using Gateway.Core.Domain;
using Gateway.Core.Queue;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Telemetry;

namespace Gateway.Smtp.Relay;

public sealed partial class RelayWorker
{
    // Records every recipient's outcome of one transaction, and queues the sender's notices in the same commit.
    private async Task RecordAsync(
        PendingTransaction transaction,
        Attempt attempt,
        List<Verdict> verdicts,
        CancellationToken cancellationToken)
    {
        var message = transaction.Message;
        var now = time.GetUtcNow();
        var results = transaction.Recipients.Select((recipient, i) => Result(message, recipient, attempt,
            verdicts[i], now)).ToList();
        IReadOnlyList<StatusNotice> queued = [];
        await queue.RecordAsync(WorkerId, results, cancellationToken, applied =>
        {
            queued = notifier.NoticesFor(message, applied);
            return queued;
        });
        Log(message, results);
        foreach (var notice in queued)
        {
            RelayLog.NoticeQueued(logger, message.Id, notice.Kind.ToString(), notice.Message.Id,
                message.ReversePath);
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
        AttemptActivity.Finish(Activity.Current, results);
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
