namespace Gateway.Core.Domain;

/// <summary>Remembers which message an HTTP submission with an <c>Idempotency-Key</c> produced.</summary>
public sealed class IdempotencyRecord
{
    public Guid ApiKeyId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of the request body, so the same key with a different request is refused.</summary>
    public required byte[] RequestHash { get; set; }

    public Guid MessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
