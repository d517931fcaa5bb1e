using System.Net;
using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Logging;

/// <summary>Logs of SMTP authentication, relay policy and TLS.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = GatewayEventId.AuthSucceeded, Level = LogLevel.Information,
        Message = "Session {SessionId} authenticated as {User} with {Mechanism}")]
    public static partial void AuthSucceeded(ILogger logger, string sessionId, string user, string mechanism);

    [LoggerMessage(EventId = GatewayEventId.AuthFailed, Level = LogLevel.Information,
        Message = "Session {SessionId} failed to authenticate as {User} from {ClientAddress} with {Mechanism}")]
    public static partial void AuthFailed(ILogger logger, string sessionId, string user, IPAddress clientAddress,
        string mechanism);

    [LoggerMessage(EventId = GatewayEventId.AuthLockedOut, Level = LogLevel.Warning,
        Message = "SMTP logins locked for {Subject} until {Until:u} after {Failures} failed attempts " +
                  "(last from {ClientAddress})")]
    public static partial void AuthLockedOut(ILogger logger, string subject, DateTimeOffset until, int failures,
        IPAddress clientAddress);

    [LoggerMessage(EventId = GatewayEventId.AuthRefusedWhileLocked, Level = LogLevel.Information,
        Message = "Session {SessionId} login as {User} from {ClientAddress} refused: locked until {Until:u}")]
    public static partial void AuthRefusedWhileLocked(ILogger logger, string sessionId, string user,
        IPAddress clientAddress, DateTimeOffset until);

    [LoggerMessage(EventId = GatewayEventId.TlsStarted, Level = LogLevel.Debug,
        Message = "Session {SessionId} started TLS: {Protocol} {Cipher}")]
    public static partial void TlsStarted(ILogger logger, string sessionId, string protocol, string cipher);

    [LoggerMessage(EventId = GatewayEventId.TlsHandshakeFailed, Level = LogLevel.Information,
        Message = "Session {SessionId}: TLS handshake after STARTTLS failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = GatewayEventId.SenderNotAllowed, Level = LogLevel.Information,
        Message = "Session {SessionId}: user {User} may not send as <{ReversePath}>")]
    public static partial void SenderNotAllowed(ILogger logger, string sessionId, string user, string reversePath);

    [LoggerMessage(EventId = GatewayEventId.SendingRateLimited, Level = LogLevel.Information,
        Message = "Session {SessionId}: user {User} reached {Limit}; next message allowed at {RetryAfter:u}")]
    public static partial void SendingRateLimited(ILogger logger, string sessionId, string user, string limit,
        DateTimeOffset retryAfter);

    [LoggerMessage(EventId = GatewayEventId.AuthenticationRequired, Level = LogLevel.Information,
        Message = "Session {SessionId}: unauthenticated client {ClientAddress} outside the trusted networks " +
                  "tried to send mail")]
    public static partial void AuthenticationRequired(ILogger logger, string sessionId, IPAddress clientAddress);

    [LoggerMessage(EventId = GatewayEventId.TlsCertificateLoaded, Level = LogLevel.Information,
        Message = "TLS certificate {Subject} ({Thumbprint}, valid until {NotAfter:u}) loaded from {Path}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter,
        string path);

    [LoggerMessage(EventId = GatewayEventId.SelfSignedCertificateGenerated, Level = LogLevel.Warning,
        Message = "No TLS certificate configured (Gateway:Smtp:Tls:CertificatePath): generated a self-signed " +
                  "certificate for {Hostname} at {Path} ({Thumbprint}, valid until {NotAfter:u}). Clients that " +
                  "verify certificates will not trust it; configure a real certificate for production")]
    public static partial void SelfSignedCertificateGenerated(ILogger logger, string hostname, string path,
        string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = GatewayEventId.SelfSignedCertificateInUse, Level = LogLevel.Warning,
        Message = "No TLS certificate configured (Gateway:Smtp:Tls:CertificatePath): using the self-signed " +
                  "certificate generated earlier at {Path} ({Thumbprint}, valid until {NotAfter:u})")]
    public static partial void SelfSignedCertificateInUse(ILogger logger, string path, string thumbprint,
        DateTime notAfter);

    [LoggerMessage(EventId = GatewayEventId.TlsCertificateReloadFailed, Level = LogLevel.Error,
        Message = "The TLS certificate at {Path} changed but could not be loaded; still using the previous one")]
    public static partial void CertificateReloadFailed(ILogger logger, string path, Exception exception);
}
