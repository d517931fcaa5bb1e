using System.Diagnostics;
using Gateway.Core.Telemetry;
using Gateway.Smtp.Protocol;
using Gateway.Smtp.Session;

namespace Gateway.Smtp.Telemetry;

/// <summary>
/// Observes one mail transaction from DATA to its final reply: an activity tagged with the queue id, the accept
/// duration, and the accepted or rejected count with the reason. A transaction cut off mid-DATA ends its activity
/// with an error status and counts nothing, since no final reply was sent.
/// </summary>
internal sealed class TransactionTelemetry : IDisposable
{
    private readonly GatewayMetrics _metrics;
    private readonly Activity? _activity;
    private long _endOfData;

    public TransactionTelemetry(GatewayMetrics metrics, SmtpSession session)
    {
        _metrics = metrics;
        _activity = GatewayTelemetry.ActivitySource.StartActivity("smtp.transaction", ActivityKind.Server);
        _activity?.SetTag(GatewayTelemetry.QueueIdTag, session.QueueId);
        _activity?.SetTag("gateway.smtp.session_id", session.SessionId);
        _activity?.SetTag("client.address", session.ClientAddress.ToString());
    }

    public void EndOfData() => _endOfData = Stopwatch.GetTimestamp();

    public void Replied(SmtpReply reply)
    {
        var duration = Stopwatch.GetElapsedTime(_endOfData);
        if (reply.Code == 250)
        {
            _metrics.MessageAccepted(duration);
            _activity?.SetStatus(ActivityStatusCode.Ok);
        }
        else
        {
            var reason = RejectionReason.Of(reply);
            _metrics.MessageRejected(reason, duration);
            _activity?.SetTag("error.type", reason);
            _activity?.SetStatus(ActivityStatusCode.Error, $"{reply.Code} {reply.EnhancedCode}");
        }

        _activity?.SetTag("gateway.smtp.reply_code", reply.Code);
    }

    public void Dispose()
    {
        if (_activity is { Status: ActivityStatusCode.Unset })
        {
            _activity.SetStatus(ActivityStatusCode.Error, "connection ended during DATA");
        }

        _activity?.Dispose();
    }
}
