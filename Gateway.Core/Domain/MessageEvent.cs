namespace Gateway.Core.Domain;

/// <summary>An append-only record of something that happened to a message or one of its recipients.</summary>
public sealed class MessageEvent
{
    public long Id { get; set; }

    /// <summary>
    /// The id of the transaction that wrote the event, set by the database. The events feed orders by it, not by
    /// <see cref="Id"/>, because identity values are handed out before commit and can commit out of order.
    /// </summary>
    public long TransactionId { get; set; }

    public Guid MessageId { get; set; }

    public long? RecipientId { get; set; }

    public EventKind Kind { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Actor { get; set; }

    public string? Details { get; set; }
}
