namespace Gateway.Api.Api.Send;

/// <summary>What an Idempotency-Key says about a request.</summary>
public enum IdempotencyOutcome
{
    /// <summary>First use of the key: this request queues the message.</summary>
    New,

    /// <summary>The key already queued this message: answer with it, queue nothing.</summary>
    Replay,

    /// <summary>The key was used for a different request body.</summary>
    Mismatch,

    /// <summary>A request with this key is still being committed.</summary>
    InProgress,
}
