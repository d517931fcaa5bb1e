namespace Gateway.Core.Domain;

/// <summary>
/// Where to POST events. The subscription keeps its own position in the events feed, so every event after its
/// creation is delivered once, in feed order, even across restarts.
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    public required string Url { get; set; }

    /// <summary>Event kinds to deliver; empty means every kind.</summary>
    public List<string> EventKinds { get; set; } = [];

    /// <summary>
    /// The HMAC key. Kept readable because signing needs it; whoever reads the database can forge signatures.
    /// </summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The feed position up to which events were turned into deliveries (see EventFeed).</summary>
    public long FeedTransaction { get; set; }

    public long FeedEventId { get; set; }
}
