using Gateway.Core.Queue;

namespace Gateway.Smtp.Relay;

/// <summary>
/// The envelope of one relayed transaction: the reverse-path and the MAIL parameters the client gave, and the
/// forward-paths going to this next hop with their RCPT parameters. The client decides which of them the next hop
/// may be sent, from its EHLO reply.
/// </summary>
public sealed record OutboundEnvelope(string ReversePath, IReadOnlyList<ForwardPath> Recipients)
{
    /// <summary>MAIL carried SMTPUTF8 (RFC 6531): the message goes only to a next hop that offers it.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>The BODY parameter the client declared: 7BIT, 8BITMIME, or null.</summary>
    public string? BodyType { get; init; }

    /// <summary>RET (RFC 3461 §4.3): FULL or HDRS, or null.</summary>
    public string? DsnReturn { get; init; }

    /// <summary>ENVID (RFC 3461 §4.4), xtext as the client sent it, or null.</summary>
    public string? DsnEnvelopeId { get; init; }

    public static OutboundEnvelope For(QueuedMessage message, IEnumerable<ClaimedRecipient> recipients) =>
        new(message.ReversePath,
            recipients.Select(r => new ForwardPath(r.Address, r.Notify, r.OriginalRecipient)).ToList())
        {
            SmtpUtf8 = message.SmtpUtf8,
            BodyType = message.BodyType,
            DsnReturn = message.Return,
            DsnEnvelopeId = message.EnvelopeId,
        };
}
