using Gateway.Core.Domain;

namespace Gateway.Core.Queue;

/// <summary>The outcome of one delivery attempt for one recipient, as the worker saw it.</summary>
public sealed record DeliveryResult(
    ClaimedRecipient Recipient,
    AttemptOutcome Outcome,
    DateTimeOffset StartedAt,
    double DurationMs,
    string NextHop,
    int? ReplyCode,
    string? EnhancedCode,
    string? ReplyText,
    DateTimeOffset? NextAttemptAt);
