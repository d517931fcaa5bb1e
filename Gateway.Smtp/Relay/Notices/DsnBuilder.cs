using System.Globalization;
using System.Text;
using Gateway.Core.Queue;
using MimeKit;
using MimeKit.Utils;

namespace Gateway.Smtp.Relay.Notices;

/// <summary>
/// Writes a delivery status notification: an RFC 3464 multipart/report with a human-readable part, a
/// message/delivery-status part and the original (whole for RET=FULL, else only its headers, RFC 3461 §4.3).
/// </summary>
public static class DsnBuilder
{
    public static MimeMessage Build(
        string reportingMta,
        QueuedMessage original,
        NoticeAction action,
        IReadOnlyList<DeliveryResult> results,
        DateTimeOffset now,
        DateTimeOffset? retryUntil)
    {
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = HumanText(reportingMta, action, results, retryUntil) },
            new MessageDeliveryStatus(),
            ReturnedContent(original),
        };
        var status = (MessageDeliveryStatus)report[1];
        status.StatusGroups.Add(PerMessageFields(reportingMta, original));
        foreach (var result in results)
        {
            status.StatusGroups.Add(PerRecipientFields(action, result, retryUntil));
        }

        var message = new MimeMessage
        {
            Subject = action switch
            {
                NoticeAction.Failed => "Undelivered Mail Returned to Sender",
                NoticeAction.Delayed => "Delayed Mail (still being retried)",
                _ => "Successful Mail Delivery Report",
            },
            Date = now,
            MessageId = MimeUtils.GenerateMessageId(reportingMta),
            Body = report,
        };
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        message.To.Add(new MailboxAddress(string.Empty, original.ReversePath));

        // RFC 3834 §5: a notice is an automatic reply, so well-behaved responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-replied");
        return message;
    }

    private static string HumanText(
        string reportingMta,
        NoticeAction action,
        IReadOnlyList<DeliveryResult> results,
        DateTimeOffset? retryUntil)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"This is the mail gateway at {reportingMta}.\n\n");
        text.Append(action switch
        {
            NoticeAction.Failed => "Your message could not be delivered to these recipients:\n\n",
            NoticeAction.Delayed => "Your message has not been delivered yet to these recipients. " +
                                    "No action is needed: the gateway keeps trying" +
                                    (retryUntil is null ? ".\n\n" : $" until {retryUntil:R}.\n\n"),
            _ => "Your message was handed on to the next mail server for these recipients:\n\n",
        });
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"<{result.Recipient.Address}>: {Diagnostic(result)}\n");
        }

        return text.ToString();
    }

    private static HeaderList PerMessageFields(string reportingMta, QueuedMessage original)
    {
        var fields = new HeaderList();
        if (!string.IsNullOrEmpty(original.EnvelopeId))
        {
            fields.Add("Original-Envelope-Id", XText.Decode(original.EnvelopeId));
        }

        fields.Add("Reporting-MTA", $"dns; {reportingMta}");
        fields.Add("Arrival-Date", DateUtils.FormatDate(original.ReceivedAt));
        return fields;
    }

    private static HeaderList PerRecipientFields(NoticeAction action, DeliveryResult result, DateTimeOffset? retryUntil)
    {
        var fields = new HeaderList();
        var original = result.Recipient.OriginalRecipient;
        if (!string.IsNullOrEmpty(original))
        {
            var semicolon = original.IndexOf(';', StringComparison.Ordinal);
            fields.Add("Original-Recipient", semicolon < 0
                ? $"rfc822; {XText.Decode(original)}"
                : $"{original[..semicolon]}; {XText.Decode(original[(semicolon + 1)..])}");
        }

        // RFC 6533 §3: a UTF-8 address is of type utf-8, escaped so the field stays 7-bit.
        var address = result.Recipient.Address;
        fields.Add("Final-Recipient", Ascii.IsValid(address)
            ? $"rfc822; {address}"
            : $"utf-8; {XText.EncodeUtf8Address(address)}");
        fields.Add("Action", action.ToString().ToLowerInvariant());
        fields.Add("Status", Status(action, result));
        var remote = RemoteHost(result.NextHop);
        if (remote is not null)
        {
            fields.Add("Remote-MTA", $"dns; {remote}");
        }

        if (result.ReplyCode is not null)
        {
            fields.Add("Diagnostic-Code", $"smtp; {Diagnostic(result)}");
        }

        fields.Add("Last-Attempt-Date", DateUtils.FormatDate(result.StartedAt));
        if (action == NoticeAction.Delayed && retryUntil is not null)
        {
            fields.Add("Will-Retry-Until", DateUtils.FormatDate(retryUntil.Value));
        }

        return fields;
    }

    // RFC 3464 §2.3.4: the status is an RFC 3463 code whose class matches the action.
    private static string Status(NoticeAction action, DeliveryResult result)
    {
        var code = result.EnhancedCode;
        return action switch
        {
            NoticeAction.Failed => code is not null && code.StartsWith('5') ? code : "5.4.7",
            NoticeAction.Delayed => code is not null && code.StartsWith('4') ? code : "4.4.7",
            _ => code is not null && code.StartsWith('2') ? code : "2.0.0",
        };
    }

    private static string Diagnostic(DeliveryResult result) =>
        result.ReplyCode is null
            ? result.ReplyText ?? "no reply"
            : string.Join(' ', new[] { result.ReplyCode.Value.ToString(CultureInfo.InvariantCulture),
                result.EnhancedCode, result.ReplyText }.Where(p => !string.IsNullOrEmpty(p)));

    // The next hop as we record it: "host:port", "host[address]:port", or a word like "none" when none was reached.
    private static string? RemoteHost(string nextHop)
    {
        var end = nextHop.IndexOfAny(['[', ':']);
        var host = end < 0 ? nextHop : nextHop[..end];
        return host.Contains('.', StringComparison.Ordinal) ? host : null;
    }

    private static MimeEntity ReturnedContent(QueuedMessage original)
    {
        var full = string.Equals(original.Return, "FULL", StringComparison.OrdinalIgnoreCase);
        var bytes = full ? original.Content : HeaderBlock(original.Content);
        using var stream = new MemoryStream(bytes);
        var parsed = MimeMessage.Load(stream);
        return full ? new MessagePart { Message = parsed } : new TextRfc822Headers { Message = parsed };
    }

    private static byte[] HeaderBlock(byte[] content)
    {
        var span = content.AsSpan();
        var end = span.IndexOf("\r\n\r\n"u8);
        var lfEnd = span.IndexOf("\n\n"u8);
        var length = end >= 0 ? end + 4 : lfEnd >= 0 ? lfEnd + 2 : span.Length;
        return span[..length].ToArray();
    }
}
