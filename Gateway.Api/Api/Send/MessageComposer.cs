using MimeKit;

namespace Gateway.Api.Api.Send;

/// <summary>
/// Builds MIME from a <see cref="SendRequest"/> with MimeKit. Every field is checked first: a CR or LF anywhere
/// (subject, address, header name or value, file name, content type) refuses the request, and address lists
/// must parse as plain mailboxes, so no value can smuggle in a header or an envelope recipient.
/// </summary>
public static class MessageComposer
{
    // Headers the composer owns: letting a caller set them would duplicate or contradict the envelope and MIME.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Subject", "Date", "Message-ID", "MIME-Version",
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID", "Received",
        "Return-Path", "Resent-From", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Sender",
    };

    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    public static ComposedMessage? Compose(
        SendRequest request,
        string messageIdDomain,
        int maxRecipients,
        Dictionary<string, string[]> errors)
    {
        var from = Mailbox("from", request.From, errors, required: true);
        var to = Mailboxes("to", request.To, errors);
        var cc = Mailboxes("cc", request.Cc, errors);
        var bcc = Mailboxes("bcc", request.Bcc, errors);
        var replyTo = Mailboxes("replyTo", request.ReplyTo, errors);
        CheckLine("subject", request.Subject, errors);
        CheckHeaders(request.Headers, errors);
        var attachments = Attachments(request.Attachments, errors);

        var recipients = to.Concat(cc).Concat(bcc).Select(m => m.Address)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (recipients.Count == 0 && !errors.Keys.Any(k => k is "to" or "cc" or "bcc"))
        {
            errors["to"] = ["At least one recipient in to, cc or bcc is required."];
        }
        else if (recipients.Count > maxRecipients)
        {
            errors["to"] = [$"At most {maxRecipients} recipients per message."];
        }

        if (request.Text is null && request.Html is null && attachments.Count == 0)
        {
            errors["text"] = ["Give text, html or at least one attachment."];
        }

        if (errors.Count > 0 || from is null)
        {
            return null;
        }

        var message = new MimeMessage { Subject = request.Subject ?? string.Empty, Date = DateTimeOffset.UtcNow };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.ReplyTo.AddRange(replyTo);
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(messageIdDomain);
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            message.Headers.Add(name, value);
        }

        var body = new BodyBuilder { TextBody = request.Text, HtmlBody = request.Html };
        foreach (var (fileName, contentType, bytes) in attachments)
        {
            body.Attachments.Add(fileName, bytes, ContentType.Parse(contentType));
        }

        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        var utf8 = recipients.Append(from.Address).Any(a => a.Any(c => c > 127));
        return new ComposedMessage(from.Address, recipients, stream.ToArray(), utf8);
    }

    private static MailboxAddress? Mailbox(string field, string? text, Dictionary<string, string[]> errors,
        bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[field] = ["Required."];
            }

            return null;
        }

        if (!CheckLine(field, text, errors))
        {
            return null;
        }

        if (!MailboxAddress.TryParse(Strict, text, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            errors[field] = [$"'{text}' is not one mailbox such as user@example.com or Name <user@example.com>."];
            return null;
        }

        return mailbox;
    }

    private static List<MailboxAddress> Mailboxes(string field, IReadOnlyList<string>? texts,
        Dictionary<string, string[]> errors)
    {
        var list = new List<MailboxAddress>();
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            var mailbox = Mailbox($"{field}[{i}]", texts![i], errors, required: true);
            if (mailbox is not null)
            {
                list.Add(mailbox);
            }
        }

        return list;
    }

    private static bool CheckLine(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value is not null && value.AsSpan().ContainsAny('\r', '\n', '\0'))
        {
            errors[field] = ["CR, LF and NUL are not allowed in this field."];
            return false;
        }

        return true;
    }

    private static void CheckHeaders(IReadOnlyDictionary<string, string>? headers, Dictionary<string, string[]> errors)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            var field = $"headers[{name}]";
            if (name.Length == 0 || name.Any(c => c is < '!' or > '~' or ':'))
            {
                errors[field] = ["A header name is printable ASCII without spaces or colons (RFC 5322 §3.6.8)."];
            }
            else if (ReservedHeaders.Contains(name))
            {
                errors[field] = ["This header is set from the other fields of the request."];
            }
            else if (CheckLine(field, value, errors) && value.Length > 998)
            {
                errors[field] = ["A header value has at most 998 characters."];
            }
        }
    }

    private static List<(string FileName, string ContentType, byte[] Bytes)> Attachments(
        IReadOnlyList<SendAttachment>? attachments,
        Dictionary<string, string[]> errors)
    {
        var list = new List<(string, string, byte[])>();
        for (var i = 0; i < (attachments?.Count ?? 0); i++)
        {
            var attachment = attachments![i];
            var field = $"attachments[{i}]";
            var contentType = attachment.ContentType ?? "application/octet-stream";
            if (string.IsNullOrWhiteSpace(attachment.FileName) || !CheckLine($"{field}.fileName", attachment.FileName,
                    errors))
            {
                errors.TryAdd($"{field}.fileName", ["Required."]);
                continue;
            }

            if (!CheckLine($"{field}.contentType", contentType, errors) ||
                !ContentType.TryParse(contentType, out _))
            {
                errors.TryAdd($"{field}.contentType", ["Not a MIME type such as application/pdf."]);
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(attachment.Content ?? string.Empty);
            }
            catch (FormatException)
            {
                errors[$"{field}.content"] = ["Not valid base64."];
                continue;
            }

            list.Add((attachment.FileName, contentType, bytes));
        }

        return list;
    }
}
