using System.Diagnostics.Metrics;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The queue's depth per state and its oldest waiting age, as observable gauges on the "Gateway" meter. They read
/// the database through <see cref="CachedQueueSnapshot"/>; they exist once this is resolved from the container.
/// </summary>
public sealed class QueueGauges
{
    public QueueGauges(IMeterFactory meterFactory, CachedQueueSnapshot queue)
    {
        var meter = meterFactory.Create(GatewayTelemetry.MeterName);
        meter.CreateObservableGauge("gateway.queue.recipients", () => ObserveDepth(queue), "{recipient}",
            "Recipients waiting, by gateway.recipient.state (queued, deferred, held); the same in every process.");
        meter.CreateObservableGauge("gateway.queue.oldest_age", () => ObserveOldestAge(queue), "s",
            "How long the oldest queued or deferred recipient's message has waited since it was received.");
    }

    private static IEnumerable<Measurement<long>> ObserveDepth(CachedQueueSnapshot queue)
    {
        var snapshot = queue.Current();
        if (snapshot is null)
        {
            return [];
        }

        return snapshot.Waiting.Select(pair => new Measurement<long>(pair.Value,
            new KeyValuePair<string, object?>("gateway.recipient.state", pair.Key.ToString().ToLowerInvariant())));
    }

    private static IEnumerable<Measurement<double>> ObserveOldestAge(CachedQueueSnapshot queue)
    {
        var snapshot = queue.Current();
        return snapshot is null ? [] : [new Measurement<double>(snapshot.OldestAge.TotalSeconds)];
    }
}
