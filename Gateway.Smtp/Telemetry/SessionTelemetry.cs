using Gateway.Core.Telemetry;
using Gateway.Smtp.Protocol;
using Gateway.Smtp.Session;

namespace Gateway.Smtp.Telemetry;

/// <summary>
/// Observes one SMTP session for metrics and traces: the open-sessions gauge for its lifetime, and a
/// <see cref="TransactionTelemetry"/> for each mail transaction that reaches DATA.
/// </summary>
internal sealed class SessionTelemetry : IDisposable
{
    private readonly GatewayMetrics _metrics;
    private readonly SmtpSession _session;
    private TransactionTelemetry? _transaction;

    public SessionTelemetry(GatewayMetrics metrics, SmtpSession session)
    {
        _metrics = metrics;
        _session = session;
        metrics.SessionOpened();
    }

    public void DataStarted()
    {
        _transaction?.Dispose();
        _transaction = new TransactionTelemetry(_metrics, _session);
    }

    public void EndOfData() => _transaction?.EndOfData();

    public void DataReplied(SmtpReply reply)
    {
        _transaction?.Replied(reply);
        _transaction?.Dispose();
        _transaction = null;
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _metrics.SessionClosed();
    }
}
