using System.Diagnostics;
using Gateway.Core.Domain;
using Gateway.Core.Queue;
using Gateway.Core.Telemetry;

namespace Gateway.Smtp.Telemetry;

/// <summary>The activity of one delivery attempt: one message to its claimed recipients over one connection.</summary>
internal static class AttemptActivity
{
    public static Activity? Start(Guid queueId, int recipientCount, string nextHop)
    {
        var activity = GatewayTelemetry.ActivitySource.StartActivity("relay.attempt", ActivityKind.Client);
        activity?.SetTag(GatewayTelemetry.QueueIdTag, queueId.ToString("N"));
        activity?.SetTag("gateway.relay.next_hop", nextHop);
        activity?.SetTag("gateway.relay.recipient_count", recipientCount);
        return activity;
    }

    public static void Finish(Activity? activity, IReadOnlyList<DeliveryResult> results)
    {
        if (activity is null || results.Count == 0)
        {
            return;
        }

        var worst = results.Max(r => r.Outcome);
        activity.SetTag("gateway.delivery.outcome", worst.ToString().ToLowerInvariant());
        activity.SetStatus(worst == AttemptOutcome.Delivered ? ActivityStatusCode.Ok : ActivityStatusCode.Error,
            results[0].ReplyText);
    }
}
