namespace Gateway.Core.Operations;

/// <summary>What an operator can do to queued mail. Each changed recipient gets an event naming the operator.</summary>
public enum OperatorAction
{
    /// <summary>Queued, deferred or failed recipients are attempted at once.</summary>
    RetryNow,

    /// <summary>Queued or deferred recipients wait until released.</summary>
    Hold,

    /// <summary>Held recipients are queued again, due at once.</summary>
    Release,

    /// <summary>Queued, deferred or held recipients are never attempted again.</summary>
    Cancel,
}
