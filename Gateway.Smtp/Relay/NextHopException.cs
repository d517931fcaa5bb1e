namespace Gateway.Smtp.Relay;

/// <summary>The conversation with the next hop broke: refused, timed out, or dropped. Every recipient defers.</summary>
public sealed class NextHopException : Exception
{
    public NextHopException()
    {
    }

    public NextHopException(string message)
        : base(message)
    {
    }

    public NextHopException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reply that ended the conversation, when the next hop gave one (a 421, for example).</summary>
    public NextHopReply? Reply { get; init; }

    /// <summary>STARTTLS was refused, not offered where required, or its handshake failed.</summary>
    public bool TlsFailed { get; init; }
}
