namespace Gateway.Smtp.Session;

public enum SessionEndReason
{
    Quit,
    ClientDisconnected,
    IdleTimeout,
    SessionTimeLimit,
    TooManyErrors,
    ProtocolViolation,
    EarlyTalker,
    ConnectionLimit,
    ServerShutdown,
    Faulted,
    TlsHandshakeFailed,

    /// <summary>Not an end: the transport switches to TLS and the session goes on.</summary>
    StartTls,
}
