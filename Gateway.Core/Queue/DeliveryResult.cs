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
    DateTimeOffset? NextAttemptAt)
{
    /// <summary>The TLS protocol of the connection the attempt used, or null for clear text or no connection.</summary>
    public string? TlsProtocol { get; init; }

    /// <summary>This deferral is the one that tells the sender the mail is delayed.</summary>
    public bool DelayNotice { get; init; }

    /// <summary>
    /// The next hop offered DSN and was given the recipient's NOTIFY and ORCPT (RFC 3461 §5.2.1): from here on,
    /// notices of success are its job, not ours.
    /// </summary>
    public bool DsnPassedOn { get; init; }
}
