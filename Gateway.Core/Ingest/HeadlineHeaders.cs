using MimeKit;

namespace Gateway.Core.Ingest;

/// <summary>The headers a listing shows, and the whole <c>Received:</c> chain, read from a message's bytes.</summary>
public sealed record HeadlineHeaders(
    string? MessageId,
    string? Subject,
    string? From,
    string? To,
    string? Date,
    IReadOnlyList<string> Received)
{
    private const int MaxValueLength = 998;

    private static readonly ParserOptions Parser = new() { AllowAddressesWithoutDomain = true };

    /// <summary>
    /// Reads the header block only. Malformed headers are tolerated: a message we accepted is never refused
    /// because its headers are odd; the fields simply stay empty.
    /// </summary>
    public static HeadlineHeaders Parse(ReadOnlyMemory<byte> content)
    {
        HeaderList headers;
        try
        {
            // Only the header block is read: a 50 MB body is not copied to find a Subject.
            var headerBlock = content[..HeaderBlockLength(content.Span)];
            using var stream = new MemoryStream(headerBlock.ToArray(), writable: false);
            headers = HeaderList.Load(Parser, stream);
        }
        catch (FormatException)
        {
            return new HeadlineHeaders(null, null, null, null, null, []);
        }

        var received = headers.Where(h => h.Id == HeaderId.Received).Select(h => Clean(h.Value)!).ToList();
        return new HeadlineHeaders(
            Clean(headers[HeaderId.MessageId]),
            Clean(headers[HeaderId.Subject]),
            Clean(headers[HeaderId.From]),
            Clean(headers[HeaderId.To]),
            Clean(headers[HeaderId.Date]),
            received);
    }

    private static int HeaderBlockLength(ReadOnlySpan<byte> content)
    {
        var separator = content.IndexOf("\r\n\r\n"u8);
        return separator < 0 ? content.Length : separator + 4;
    }

    // PostgreSQL text cannot hold NUL, and a listing has no use for a megabyte-long subject.
    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        value = value.Replace("\0", string.Empty, StringComparison.Ordinal).Trim();
        return value.Length > MaxValueLength ? value[..MaxValueLength] : value;
    }
}
