namespace Gateway.Smtp;

/// <summary>The certificate of the TLS listeners (<c>Gateway:Smtp:Tls</c>). Details: docs/security.md.</summary>
public sealed class SmtpTlsOptions
{
    /// <summary>A PEM certificate (chain) or a PFX/PKCS#12 file. Empty: a self-signed certificate is generated.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when it is not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>How long a client may take to finish the TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
