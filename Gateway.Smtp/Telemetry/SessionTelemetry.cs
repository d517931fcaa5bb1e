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

    /// <summary>The content of a transaction starts (DATA, or a BDAT chunk); a no-op while one is observed.</summary>
    public void ContentStarted()
    {
        if (_transaction is null && _session.QueueId is not null)
        {
            _transaction = new TransactionTelemetry(_metrics, _session);
        }
    }

    /// <summary>
    /// Completes content (the end of DATA, or a BDAT chunk) through the session. The transaction counts as ended
    /// when the session has let go of its queue id: the final reply (250 queued, or a refusal) was just made.
    /// </summary>
    public async Task<SmtpReply> CompleteAsync(Func<Task<SmtpReply>> complete)
    {
        ContentStarted();
        _transaction?.EndOfData();
        var reply = await complete();
        if (_session.QueueId is null && _transaction is not null)
        {
            _transaction.Replied(reply);
            _transaction.Dispose();
            _transaction = null;
        }

        return reply;
    }

    /// <summary>
    /// Counts a refused MAIL or RCPT (what Postfix logs as NOQUEUE rejections): relay denied, authentication
    /// required, sender not allowed, rate limited and the like never reach DATA, so the messages counter misses them.
    /// A 503 bad sequence is not counted: under PIPELINING it answers every RCPT after a refused MAIL, and would
    /// count one refusal as many.
    /// </summary>
    public void CommandAnswered(string? verb, SmtpReply reply)
    {
        if (verb is not null && reply.Code >= 400 && reply.EnhancedCode != "5.5.1")
        {
            _metrics.EnvelopeRejected(verb, RejectionReason.Of(reply));
        }
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _metrics.SessionClosed();
    }
}
