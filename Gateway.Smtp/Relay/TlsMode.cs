namespace Gateway.Smtp.Relay;

/// <summary>Whether the relay asks the next hop for STARTTLS (RFC 3207). See docs/relay.md.</summary>
public enum TlsMode
{
    /// <summary>Never start TLS, even when offered.</summary>
    None,

    /// <summary>Start TLS when the next hop offers it; send in clear when it does not (RFC 7435).</summary>
    Opportunistic,

    /// <summary>
    /// Deliver only over TLS; a next hop that does not offer it, or fails the handshake, defers the mail.
    /// </summary>
    Required,
}
