namespace Gateway.Core.Domain;

/// <summary>The raw bytes of a message as they will be relayed: our Received header, then what the client sent.</summary>
public sealed class MessageContent
{
    public Guid MessageId { get; set; }

    public required byte[] Data { get; set; }
}
