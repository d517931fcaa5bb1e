namespace Gateway.Core.Domain;

/// <summary>One try at handing a recipient to the next hop.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }

    public long RecipientId { get; set; }

    public Guid MessageId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public double DurationMs { get; set; }

    public required string NextHop { get; set; }

    public string? TlsProtocol { get; set; }

    public int? ReplyCode { get; set; }

    public string? EnhancedCode { get; set; }

    public string? ReplyText { get; set; }

    public AttemptOutcome Outcome { get; set; }
}
