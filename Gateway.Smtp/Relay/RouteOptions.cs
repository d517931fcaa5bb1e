namespace Gateway.Smtp.Relay;

/// <summary>How mail for one domain (or, as the default route, every other domain) reaches its next hop.</summary>
public sealed class RouteOptions
{
    /// <summary>The next hop as <c>host:port</c> (port 25 when omitted); empty means deliver by MX.</summary>
    public string? Smarthost { get; set; }

    public TlsMode Tls { get; set; } = TlsMode.Opportunistic;

    /// <summary>
    /// Certificate check when <see cref="Tls"/> is <see cref="TlsMode.Required"/>. Opportunistic TLS encrypts
    /// without checking, as RFC 7435 describes: a check that fails would otherwise push the mail back to clear text.
    /// </summary>
    public CertificateValidation CertificateValidation { get; set; } = CertificateValidation.Full;

    /// <summary>User name for AUTH at the next hop (PLAIN, else LOGIN); no AUTH when empty.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }
}
