namespace Gateway.Core.Domain;

/// <summary>Where one recipient of a message stands.</summary>
public enum RecipientState
{
    /// <summary>Waiting for its first delivery attempt.</summary>
    Queued,

    /// <summary>An attempt failed temporarily; another is scheduled.</summary>
    Deferred,

    /// <summary>The next hop accepted it.</summary>
    Delivered,

    /// <summary>Failed permanently (5xx, or the queue lifetime ran out).</summary>
    Failed,

    /// <summary>Held by an operator; not attempted until released.</summary>
    Held,

    /// <summary>Cancelled by an operator; never attempted again.</summary>
    Cancelled,
}
