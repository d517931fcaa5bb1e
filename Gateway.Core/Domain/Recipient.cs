namespace Gateway.Core.Domain;

/// <summary>One forward-path of a message, with its own delivery state.</summary>
public sealed class Recipient
{
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public required string Address { get; set; }

    /// <summary>The DSN NOTIFY parameter (RFC 3461 §4.1): NEVER, or a comma list of SUCCESS, FAILURE, DELAY.</summary>
    public string? DsnNotify { get; set; }

    /// <summary>The DSN ORCPT parameter (RFC 3461 §4.2), <c>addr-type;xtext</c> as the client sent it.</summary>
    public string? DsnOriginalRecipient { get; set; }

    public RecipientState State { get; set; }

    public int AttemptCount { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The lease: until this time the worker named in <see cref="LockedBy"/> owns the recipient.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    public int? LastReplyCode { get; set; }

    public string? LastEnhancedCode { get; set; }

    public string? LastReplyText { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<DeliveryAttempt> Attempts { get; set; } = [];
}
