namespace Gateway.Core.Domain;

/// <summary>One event on its way to one subscription: the delivery log's row.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    public Guid SubscriptionId { get; set; }

    public long EventId { get; set; }

    public required string EventKind { get; set; }

    /// <summary>The exact JSON body POSTed (and signed).</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryState State { get; set; }

    public int AttemptCount { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
