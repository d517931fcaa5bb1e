using MimeKit;

namespace Gateway.Api.Api.Send;

/// <summary>
/// Accepts a message already in RFC 5322 form. Its bytes are relayed as sent, except that bare CR or LF line
/// breaks become CRLF (SMTP requires it, and lone LFs are how SMTP smuggling starts). The envelope comes from the
/// <c>from</c>/<c>to</c> query parameters, or else from the From, To and Cc headers. A Bcc header is refused,
/// because relaying the bytes unchanged would show it to every recipient.
/// </summary>
public static class RawMessageReader
{
    private static readonly System.Buffers.SearchValues<char> NotInAddress =
        System.Buffers.SearchValues.Create("\r\n <>\0");

    public static ComposedMessage? Read(
        byte[] body,
        string? envelopeFrom,
        IReadOnlyList<string> envelopeTo,
        int maxRecipients,
        Dictionary<string, string[]> errors)
    {
        var content = NormalizeLineBreaks(body);
        HeaderList headers;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            headers = HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            errors["body"] = ["The header block of the message does not parse."];
            return null;
        }

        if (headers.Contains(HeaderId.Bcc))
        {
            errors["body"] = ["Remove the Bcc header and list those recipients in the 'to' query parameter."];
            return null;
        }

        var from = envelopeFrom ?? AddressesOf(headers, HeaderId.From).FirstOrDefault();
        var recipients = envelopeTo.Count > 0
            ? [.. envelopeTo]
            : AddressesOf(headers, HeaderId.To).Concat(AddressesOf(headers, HeaderId.Cc))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        if (from is null || !IsAddress(from))
        {
            errors["from"] = ["No sender: give a From header or the 'from' query parameter."];
        }

        if (recipients.Count == 0 || recipients.Any(r => !IsAddress(r)))
        {
            errors["to"] = ["No valid recipients: give To/Cc headers or 'to' query parameters."];
        }
        else if (recipients.Count > maxRecipients)
        {
            errors["to"] = [$"At most {maxRecipients} recipients per message."];
        }

        return errors.Count > 0
            ? null
            : new ComposedMessage(from!, recipients, content, recipients.Append(from!).Any(a => a.Any(c => c > 127)));
    }

    private static IEnumerable<string> AddressesOf(HeaderList headers, HeaderId id) =>
        headers.Where(h => h.Id == id)
            .SelectMany(h => InternetAddressList.TryParse(h.Value, out var list) ? list.Mailboxes : [])
            .Select(m => m.Address);

    private static bool IsAddress(string text) =>
        !text.AsSpan().ContainsAny(NotInAddress) && MailboxAddress.TryParse(text, out var m) &&
        m.Address == text && text.Contains('@', StringComparison.Ordinal);

    private static byte[] NormalizeLineBreaks(byte[] body)
    {
        using var output = new MemoryStream(body.Length + 64);
        for (var i = 0; i < body.Length; i++)
        {
            var b = body[i];
            if (b == '\r')
            {
                output.Write("\r\n"u8);
                if (i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                output.Write("\r\n"u8);
            }
            else
            {
                output.WriteByte(b);
            }
        }

        if (output.Length < 2 || !output.GetBuffer().AsSpan(0, (int)output.Length).EndsWith("\r\n"u8))
        {
            output.Write("\r\n"u8);
        }

        return output.ToArray();
    }
}
