using System.Text;

namespace Gateway.Smtp.Relay;

/// <summary>
/// What the next hop is told on MAIL and RCPT, and which messages it may not be given at all: the client passes on
/// the parameters it was given only where the next hop's EHLO reply offers the extension, and never downgrades.
/// </summary>
public sealed partial class SmtpDeliveryClient
{
    /// <summary>
    /// Our own permanent refusal when this next hop lacks an extension the message needs, or null to send it.
    /// The rule is the flag: a message received with SMTPUTF8 needs SMTPUTF8, even if every address and header
    /// happens to be ASCII (docs/relay.md).
    /// </summary>
    private NextHopReply? Refusal(OutboundEnvelope envelope, bool eightBit, long size)
    {
        // RFC 1870 §6.1: a message over the next hop's declared fixed maximum would only be refused after its
        // transfer; it is a permanent failure at this hop, so it is not sent at all.
        if (SupportsSize && _maxMessageSize > 0 && size > _maxMessageSize)
        {
            return new NextHopReply(552, "5.3.4",
                $"next hop {NextHop} takes messages up to {_maxMessageSize} octets; this one has {size} (RFC 1870)");
        }

        // RFC 6531 §3.4: we do not downgrade; without SMTPUTF8 at the next hop the message cannot go there.
        if (envelope.SmtpUtf8 && !SupportsSmtpUtf8)
        {
            return new NextHopReply(553, "5.6.7",
                $"next hop {NextHop} does not offer SMTPUTF8; the message needs it (RFC 6531)");
        }

        // RFC 5321 §2.4 and RFC 6152 §3: octets above 127 only to a server that offers 8BITMIME. We do not
        // convert content to 7 bit (it would break signatures), so the message cannot go there either.
        if (eightBit && !Supports8BitMime)
        {
            return new NextHopReply(554, "5.6.3",
                $"next hop {NextHop} does not offer 8BITMIME; the message has 8-bit content (RFC 6152)");
        }

        return null;
    }

    private string MailCommand(OutboundEnvelope envelope, bool eightBit, long size)
    {
        var command = new StringBuilder($"MAIL FROM:<{envelope.ReversePath}>");
        if (Supports8BitMime)
        {
            // RFC 6152: the content decides whether it is 8-bit; a client's BODY=7BIT is passed on only when true.
            var declared = envelope.BodyType?.ToUpperInvariant();
            var body = eightBit || declared == "8BITMIME" ? "8BITMIME" : declared;
            if (body is not null)
            {
                command.Append(" BODY=").Append(body);
            }
        }

        if (envelope.SmtpUtf8)
        {
            command.Append(" SMTPUTF8");
        }

        // RFC 3461 §5.2.1: to a next hop that offers DSN, RET and ENVID go on as received.
        if (SupportsDsn && envelope.DsnReturn is not null)
        {
            command.Append(" RET=").Append(envelope.DsnReturn);
        }

        if (SupportsDsn && envelope.DsnEnvelopeId is not null)
        {
            command.Append(" ENVID=").Append(envelope.DsnEnvelopeId);
        }

        // RFC 1870 §3: the octets the DATA transfer carries, CRLFs included, before dot-stuffing.
        if (SupportsSize)
        {
            command.Append(" SIZE=").Append(size);
        }

        return command.ToString();
    }

    private string RcptCommand(ForwardPath recipient, bool smtpUtf8)
    {
        var command = new StringBuilder($"RCPT TO:<{recipient.Address}>");
        if (SupportsDsn && recipient.Notify is not null)
        {
            command.Append(" NOTIFY=").Append(recipient.Notify);
        }

        // An ORCPT of type utf-8 may hold raw UTF-8 (RFC 6533 §3), which only an SMTPUTF8 transaction may carry;
        // ORCPT is optional (RFC 3461 §4.2), so such a value is left out of any other transaction.
        if (SupportsDsn && recipient.OriginalRecipient is not null &&
            (smtpUtf8 || Ascii.IsValid(recipient.OriginalRecipient)))
        {
            command.Append(" ORCPT=").Append(recipient.OriginalRecipient);
        }

        return command.ToString();
    }

    // The stored envelope was checked when it came in; this is the last guard against a line break from the
    // database turning into a second command at the next hop.
    private static NextHopReply? UnsafeCommandRefusal(IEnumerable<string> commands) =>
        commands.Any(HasLineBreak)
            ? new NextHopReply(554, "5.5.2", "not sent: the stored envelope would put CR or LF in a command line")
            : null;

    private static bool HasLineBreak(string line) => line.AsSpan().IndexOfAny('\r', '\n') >= 0;
}
