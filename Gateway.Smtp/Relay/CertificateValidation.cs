namespace Gateway.Smtp.Relay;

/// <summary>How a route with <see cref="TlsMode.Required"/> checks the next hop's certificate.</summary>
public enum CertificateValidation
{
    /// <summary>The chain must be trusted by this machine and the name must match the host we connected to.</summary>
    Full,

    /// <summary>Encrypt without checking the certificate (protects against eavesdropping, not impersonation).</summary>
    None,
}
