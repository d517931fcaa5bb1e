namespace Gateway.Smtp;

/// <summary>How a listener uses TLS.</summary>
public enum SmtpListenerMode
{
    /// <summary>No TLS (port 25 or 2525 for trusted networks).</summary>
    Plain,

    /// <summary>Plain at first; STARTTLS (RFC 3207) is offered and AUTH only after it (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (RFC 8314, port 465).</summary>
    ImplicitTls,
}
