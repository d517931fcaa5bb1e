using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Core.Domain;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The gateway's instruments on the "Gateway" meter. Names follow OpenTelemetry's conventions: dotted namespaces,
/// units in UCUM (seconds for durations), counts in curly-brace units, <c>error.type</c> for why something failed.
/// The queue gauges, which read the database, are in <see cref="QueueGauges"/>.
/// The Prometheus exporter turns <c>gateway.smtp.messages</c> into <c>gateway_smtp_messages_total</c> and so on;
/// docs/operations.md lists every series.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly double[] AcceptBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] DeliveryBuckets =
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

    private static readonly KeyValuePair<string, object?> Accepted = new("gateway.smtp.outcome", "accepted");

    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _acceptDuration;
    private readonly Counter<long> _envelopeRejections;
    private readonly Counter<long> _recipients;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _deliveryDuration;
    private readonly UpDownCounter<long> _activeConnections;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(GatewayTelemetry.MeterName);

        _activeSessions = meter.CreateUpDownCounter<long>("gateway.smtp.active_sessions", "{session}",
            "SMTP sessions open now.");
        _messages = meter.CreateCounter<long>("gateway.smtp.messages", "{message}",
            "Messages whose data was received, by outcome (accepted or rejected) and error.type for rejections.");
        _acceptDuration = meter.CreateHistogram("gateway.smtp.accept.duration", "s",
            "From the end of the mail data to the reply: mostly the commit to PostgreSQL.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AcceptBuckets });

        _envelopeRejections = meter.CreateCounter<long>("gateway.smtp.envelope.rejections", "{command}",
            "MAIL and RCPT commands refused, by gateway.smtp.command and error.type.");

        _recipients = meter.CreateCounter<long>("gateway.relay.recipients", "{recipient}",
            "Delivery attempts' outcomes per recipient: delivered, deferred or failed.");
        _attemptDuration = meter.CreateHistogram("gateway.relay.attempt.duration", "s",
            "One delivery attempt of one message to the next hop, connect included when it opened one.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });
        _deliveryDuration = meter.CreateHistogram("gateway.relay.delivery.duration", "s",
            "From the message's receipt to its recipient's delivery, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });
        _activeConnections = meter.CreateUpDownCounter<long>("gateway.relay.active_connections", "{connection}",
            "Connections to next hops open now.");
    }

    public void SessionOpened() => _activeSessions.Add(1);

    public void SessionClosed() => _activeSessions.Add(-1);

    public void MessageAccepted(TimeSpan duration)
    {
        _messages.Add(1, Accepted);
        _acceptDuration.Record(duration.TotalSeconds, Accepted);
    }

    public void MessageRejected(string reason, TimeSpan duration)
    {
        var tags = new TagList { { "gateway.smtp.outcome", "rejected" }, { "error.type", reason } };
        _messages.Add(1, tags);
        _acceptDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A MAIL or RCPT was refused (<paramref name="command"/> is "mail" or "rcpt").</summary>
    public void EnvelopeRejected(string command, string reason)
    {
        _envelopeRejections.Add(1, new TagList { { "gateway.smtp.command", command }, { "error.type", reason } });
    }

    public void RecipientAttempted(AttemptOutcome outcome)
    {
        _recipients.Add(1, new KeyValuePair<string, object?>("gateway.delivery.outcome", OutcomeName(outcome)));
    }

    public void AttemptFinished(AttemptOutcome outcome, TimeSpan duration)
    {
        _attemptDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("gateway.delivery.outcome", OutcomeName(outcome)));
    }

    public void RecipientDelivered(TimeSpan sinceReceipt) => _deliveryDuration.Record(sinceReceipt.TotalSeconds);

    public void ConnectionOpened() => _activeConnections.Add(1);

    public void ConnectionClosed() => _activeConnections.Add(-1);

    private static string OutcomeName(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Delivered => "delivered",
        AttemptOutcome.Deferred => "deferred",
        _ => "failed",
    };
}
