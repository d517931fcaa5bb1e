namespace Gateway.Core.Queue;

/// <summary>A recipient a relay worker holds the lease on.</summary>
public sealed record ClaimedRecipient(long Id, Guid MessageId, string Address, int AttemptCount);
