using Gateway.Core.Domain;

namespace Gateway.Core.Events;

/// <summary>One event as the feed, the REST API and webhooks show it.</summary>
public sealed record FeedEvent(
    string Cursor,
    long Id,
    EventKind Kind,
    DateTimeOffset At,
    Guid MessageId,
    string? Recipient,
    string? Actor,
    string? Details);
