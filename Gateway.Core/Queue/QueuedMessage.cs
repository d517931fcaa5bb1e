namespace Gateway.Core.Queue;

/// <summary>What a worker needs to deliver a message: its reverse-path, age and bytes.</summary>
public sealed record QueuedMessage(Guid Id, string ReversePath, DateTimeOffset ReceivedAt, byte[] Content)
{
    /// <summary>The client's ENVID parameter (RFC 3461 §4.4), xtext-encoded as given.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>The client's RET parameter (RFC 3461 §4.3): FULL or HDRS.</summary>
    public string? Return { get; init; }
}
