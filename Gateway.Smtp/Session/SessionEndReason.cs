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
}
