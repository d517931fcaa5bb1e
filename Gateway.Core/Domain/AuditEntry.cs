namespace Gateway.Core.Domain;

/// <summary>One operator action: who did what to which message, user or key, and when. Append-only.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Operator { get; set; }

    /// <summary>A short verb phrase, e.g. "retry", "create smtp user", "sign in".</summary>
    public required string Action { get; set; }

    /// <summary>What the action touched: a message id, a user or key name; null for sign-in and sign-out.</summary>
    public string? Target { get; set; }

    public string? Details { get; set; }
}
