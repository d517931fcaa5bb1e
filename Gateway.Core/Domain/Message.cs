namespace Gateway.Core.Domain;

/// <summary>
/// One accepted message: its envelope, where it came from, its headline headers.
/// The raw bytes live in <see cref="MessageContent"/> so listings never read them.
/// </summary>
public sealed class Message
{
    public Guid Id { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public required string ClientAddress { get; set; }

    public string? HeloName { get; set; }

    public string? AuthenticatedUser { get; set; }

    public string? TlsProtocol { get; set; }

    public string? TlsCipher { get; set; }

    /// <summary>The MAIL FROM path without angle brackets; empty for the null reverse-path.</summary>
    public required string ReversePath { get; set; }

    public long Size { get; set; }

    /// <summary>The BODY parameter the client declared (7BIT or 8BITMIME), if any.</summary>
    public string? BodyType { get; set; }

    /// <summary>MAIL carried SMTPUTF8 (RFC 6531): the relay may only hand it to a hop offering SMTPUTF8.</summary>
    public bool SmtpUtf8 { get; set; }

    /// <summary>The DSN RET parameter (RFC 3461 §4.3): FULL or HDRS, null when not given.</summary>
    public string? DsnReturn { get; set; }

    /// <summary>The DSN ENVID parameter (RFC 3461 §4.4), xtext-encoded as the client sent it.</summary>
    public string? DsnEnvelopeId { get; set; }

    /// <summary>A line of the content was longer than 998 octets (RFC 5322 §2.1.1); accepted and flagged.</summary>
    public bool HasLongLines { get; set; }

    public string? MessageIdHeader { get; set; }

    public string? Subject { get; set; }

    public string? FromHeader { get; set; }

    public string? ToHeader { get; set; }

    public string? DateHeader { get; set; }

    public List<Recipient> Recipients { get; set; } = [];

    public List<TraceHeader> TraceHeaders { get; set; } = [];

    public MessageContent? Content { get; set; }
}
