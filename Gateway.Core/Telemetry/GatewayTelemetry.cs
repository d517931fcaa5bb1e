using System.Diagnostics;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The names under which the gateway publishes metrics and traces. Exporters subscribe by these names
/// (OpenTelemetry's <c>AddMeter</c> and <c>AddSource</c>); docs/operations.md lists every instrument.
/// </summary>
public static class GatewayTelemetry
{
    public const string MeterName = "Gateway";

    public const string ActivitySourceName = "Gateway";

    /// <summary>An activity per SMTP transaction and per delivery attempt, each tagged with the queue id.</summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    /// <summary>The message's queue id, as in "250 2.0.0 Ok: queued as ..." and every log line about it.</summary>
    public const string QueueIdTag = "gateway.queue_id";
}
