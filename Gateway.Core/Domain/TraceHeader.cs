namespace Gateway.Core.Domain;

/// <summary>One <c>Received:</c> header of a message; position 0 is the topmost (ours).</summary>
public sealed class TraceHeader
{
    public Guid MessageId { get; set; }

    public int Position { get; set; }

    public required string Value { get; set; }
}
