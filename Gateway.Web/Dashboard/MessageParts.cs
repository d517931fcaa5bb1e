using MimeKit;

namespace Gateway.Web.Dashboard;

/// <summary>
/// What the detail page shows of a message's content, parsed with MimeKit: every header in order, the text and
/// HTML bodies and the attachments. A message MimeKit cannot make sense of still has its raw source.
/// </summary>
public sealed class MessageParts
{
    private MessageParts(MimeMessage message, HeaderList headers)
    {
        Message = message;
        Headers = [.. headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value))];
        Attachments = [.. message.Attachments.OfType<MimePart>()];
    }

    public MimeMessage Message { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string? TextBody => Message.TextBody;

    public string? HtmlBody => Message.HtmlBody;

    public IReadOnlyList<MimePart> Attachments { get; }

    public static MessageParts Parse(byte[] raw)
    {
        // The header block is read on its own as well: MimeMessage moves Content-* headers to its body entity, and
        // the page lists the headers exactly as they arrived, in order.
        using var headerStream = new MemoryStream(raw, writable: false);
        var headers = HeaderList.Load(headerStream);
        using var stream = new MemoryStream(raw, writable: false);
        return new MessageParts(MimeMessage.Load(stream), headers);
    }

    /// <summary>A name safe to offer for download: the attachment's own, or a made-up one.</summary>
    public static string DownloadName(MimePart part, int index)
    {
        var name = part.FileName;
        if (string.IsNullOrWhiteSpace(name))
        {
            return $"attachment-{index + 1}.bin";
        }

        var cleaned = new string([.. name.Select(c => char.IsControl(c) || c is '/' or '\\' or '"' ? '_' : c)]);
        return cleaned.Trim().TrimStart('.') is { Length: > 0 } trimmed ? trimmed : $"attachment-{index + 1}.bin";
    }
}
