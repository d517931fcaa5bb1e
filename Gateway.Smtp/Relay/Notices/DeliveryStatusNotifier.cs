using System.Text;
using Gateway.Core.Domain;
using Gateway.Core.Ingest;
using Gateway.Core.Queue;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.Smtp.Relay.Notices;

/// <summary>
/// Decides which outcomes the sender hears about and writes those notices as new messages for the same queue:
/// from the null reverse-path (so a notice that fails is never answered with another, RFC 5321 §4.5.5) to the
/// original reverse-path. A message with a null reverse-path gets no notice at all.
/// </summary>
public sealed class DeliveryStatusNotifier(
    IOptions<RelayOptions> options,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider time)
{
    private string ReportingMta => string.IsNullOrWhiteSpace(options.Value.ReportingMta)
        ? smtpOptions.Value.Hostname
        : options.Value.ReportingMta;

    /// <summary>True when this deferral should be the one that tells the sender the mail is delayed.</summary>
    public bool IsDelayNoticeDue(QueuedMessage message, ClaimedRecipient recipient, DateTimeOffset now)
    {
        var after = options.Value.DelayNoticeAfter;
        return after is not null && message.ReversePath.Length > 0 && !recipient.DelayNotified &&
               now - message.ReceivedAt >= after && NotifyConditions.Parse(recipient.Notify).Delay;
    }

    public IReadOnlyList<StatusNotice> NoticesFor(QueuedMessage message, IReadOnlyList<DeliveryResult> applied)
    {
        if (message.ReversePath.Length == 0)
        {
            return [];
        }

        var notices = new List<StatusNotice>();
        var failed = applied.Where(r => r.Outcome == AttemptOutcome.Failed &&
                                        NotifyConditions.Parse(r.Recipient.Notify).Failure).ToList();
        var delayed = applied.Where(r => r.Outcome == AttemptOutcome.Deferred && r.DelayNotice).ToList();

        // RFC 3461 §5.2.2: "relayed" is for a next hop that does not offer DSN; one that does got NOTIFY with the
        // recipient (§5.2.1) and reports success itself.
        var relayed = applied.Where(r => r.Outcome == AttemptOutcome.Delivered && !r.DsnPassedOn &&
                                         NotifyConditions.Parse(r.Recipient.Notify).Success).ToList();
        Add(notices, message, NoticeAction.Failed, EventKind.Bounced, failed);
        Add(notices, message, NoticeAction.Delayed, EventKind.DelayNotified, delayed);
        Add(notices, message, NoticeAction.Relayed, EventKind.Delivered, relayed);
        return notices;
    }

    private void Add(
        List<StatusNotice> notices,
        QueuedMessage message,
        NoticeAction action,
        EventKind kind,
        List<DeliveryResult> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        DateTimeOffset? retryUntil = action == NoticeAction.Delayed
            ? message.ReceivedAt + options.Value.MaxQueueLifetime
            : null;
        var dsn = DsnBuilder.Build(ReportingMta, message, action, results, now, retryUntil);
        using var content = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        dsn.WriteTo(format, content);
        notices.Add(new StatusNotice(message.Id, kind, new IncomingMessage
        {
            Id = Guid.CreateVersion7(now),
            ReceivedAt = now,
            ClientAddress = "local",
            HeloName = ReportingMta,
            ReversePath = string.Empty,
            Recipients = [message.ReversePath],

            // A sender with a UTF-8 address can only be reached over SMTPUTF8 (RFC 6531), like the mail it sent.
            SmtpUtf8 = !Ascii.IsValid(message.ReversePath),
            Content = content.ToArray(),
        }));
    }
}
