using System.Security.Authentication;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Session;
using Gateway.Smtp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Security;

/// <summary>
/// The connection handler's view of security: which listener a connection is on, what an implicit-TLS handshake
/// negotiated, how to run STARTTLS, and who checks logins.
/// </summary>
public sealed class ConnectionSecurity(
    SmtpAuthenticator authenticator,
    TlsCertificateProvider certificates,
    IOptions<SmtpTlsOptions> tlsOptions,
    ILogger<ConnectionSecurity> logger)
{
    public SmtpAuthenticator Authenticator => authenticator;

    /// <summary>The listener of the connection; a plain one when the endpoint did not say (a bare test endpoint).</summary>
    public static SmtpListenerOptions ListenerOf(ConnectionContext connection) =>
        connection.Features.Get<SmtpListenerFeature>()?.Listener ?? new SmtpListenerOptions { Mode = "plain" };

    /// <summary>On an implicit-TLS listener Kestrel has done the handshake already; the session learns its facts.</summary>
    public static void RecordImplicitTls(ConnectionContext connection, SmtpSession session)
    {
        if (connection.Features.Get<ITlsHandshakeFeature>() is { } handshake)
        {
            session.TlsEstablished(TlsFacts.From(handshake.Protocol, handshake.NegotiatedCipherSuite));
        }
    }

    /// <summary>Runs the TLS handshake after a 220 to STARTTLS; false when it failed and the connection is done.</summary>
    public async Task<bool> StartTlsAsync(SmtpTransport transport, SmtpSession session)
    {
        try
        {
            var facts = await transport.StartTlsAsync(certificates.CreateServerOptions(),
                tlsOptions.Value.HandshakeTimeout);
            session.TlsStarted(facts);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            SecurityLog.TlsHandshakeFailed(logger, session.SessionId, ex.Message);
            return false;
        }
    }
}
