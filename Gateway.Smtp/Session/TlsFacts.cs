using System.Net.Security;
using System.Security.Authentication;

namespace Gateway.Smtp.Session;

/// <summary>What a finished TLS handshake negotiated, as stored on the message and named in the Received header.</summary>
public sealed record TlsFacts(string Protocol, string Cipher)
{
    public static TlsFacts From(SslProtocols protocol, TlsCipherSuite? cipher) =>
        new(ProtocolName(protocol), cipher?.ToString() ?? "unknown");

    // The names OpenSSL and most mail servers log, e.g. "TLSv1.3".
    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
