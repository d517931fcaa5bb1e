namespace Gateway.Core.Queue;

/// <summary>What a worker needs to deliver a message: its reverse-path, age, bytes and MAIL parameters.</summary>
public sealed record QueuedMessage(Guid Id, string ReversePath, DateTimeOffset ReceivedAt, byte[] Content)
{
    /// <summary>The client's ENVID parameter (RFC 3461 §4.4), xtext-encoded as given.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>The client's RET parameter (RFC 3461 §4.3): FULL or HDRS.</summary>
    public string? Return { get; init; }

    /// <summary>The client's BODY parameter (RFC 6152): 7BIT or 8BITMIME, null when not given.</summary>
    public string? BodyType { get; init; }

    /// <summary>MAIL carried SMTPUTF8 (RFC 6531): only a next hop that offers SMTPUTF8 may take the message.</summary>
    public bool SmtpUtf8 { get; init; }
}
