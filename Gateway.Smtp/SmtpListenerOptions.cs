namespace Gateway.Smtp;

/// <summary>One SMTP listener (an entry of <c>Gateway:Smtp:Listeners</c>): where it binds and how it does TLS.</summary>
public sealed class SmtpListenerOptions
{
    public int Port { get; set; }

    /// <summary>Address to bind: <c>*</c> for every interface, or one IP address.</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary><c>plain</c>, <c>starttls</c> (plain until the client asks, RFC 3207) or <c>implicit-tls</c>.</summary>
    public string Mode { get; set; } = "plain";

    /// <summary>
    /// Offer AUTH on a connection that is not encrypted. Off by default: passwords would cross the network in the
    /// clear. Meant for a loopback development listener.
    /// </summary>
    public bool AllowAuthWithoutTls { get; set; }

    public SmtpListenerMode ParsedMode => Mode.Trim().ToLowerInvariant() switch
    {
        "plain" => SmtpListenerMode.Plain,
        "starttls" => SmtpListenerMode.StartTls,
        "implicit-tls" or "implicittls" or "tls" => SmtpListenerMode.ImplicitTls,
        _ => throw new InvalidOperationException(
            $"Gateway:Smtp:Listeners: Mode '{Mode}' of the listener on port {Port} is not one of plain, starttls, " +
            "implicit-tls."),
    };

    public override string ToString() => $"{BindAddress}:{Port} ({Mode})";
}
