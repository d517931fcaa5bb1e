using System.Globalization;
using System.Net;

namespace Gateway.Smtp.Relay.Routing;

/// <summary>
/// One server to try: its name (checked against the certificate), the address when DNS gave one, the port, and how
/// to talk to it.
/// </summary>
public sealed record NextHop(
    string Host,
    IPAddress? Address,
    int Port,
    TlsMode Tls,
    CertificateValidation CertificateValidation,
    string? Username,
    string? Password)
{
    public override string ToString() => Address is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}[{Address}]:{Port}");
}
