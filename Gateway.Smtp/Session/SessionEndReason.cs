namespace Gateway.Smtp.Session;

public enum SessionEndReason
{
    Quit,
    ClientDisconnected,
    IdleTimeout,
    TooManyErrors,
    ServerShutdown,
    Faulted,
    TlsHandshakeFailed,
}
