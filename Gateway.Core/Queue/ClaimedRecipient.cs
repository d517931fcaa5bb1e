namespace Gateway.Core.Queue;

/// <summary>A recipient a relay worker holds the lease on.</summary>
public sealed record ClaimedRecipient(long Id, Guid MessageId, string Address, int AttemptCount)
{
    /// <summary>True once a "delayed" notice went to the sender for this recipient.</summary>
    public bool DelayNotified { get; init; }

    /// <summary>The client's NOTIFY parameter (RFC 3461 §4.1): NEVER, or a list of SUCCESS, FAILURE, DELAY.</summary>
    public string? Notify { get; init; }

    /// <summary>The client's ORCPT parameter (RFC 3461 §4.2), as given: <c>addr-type;xtext</c>.</summary>
    public string? OriginalRecipient { get; init; }
}
