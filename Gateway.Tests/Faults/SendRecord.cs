namespace Gateway.Tests.Faults;

/// <summary>One attempt: the tag in the message's X-Fault-Tag header, its outcome and the first reply digit seen.</summary>
public sealed record SendRecord(string Tag, SendOutcome Outcome, string? Reply, DateTime EndedAt)
{
    /// <summary>The queue id of an accepted message, from "250 2.0.0 Ok: queued as &lt;id&gt;".</summary>
    public string? QueueId =>
        Outcome == SendOutcome.Accepted && Reply is not null && Reply.Contains("queued as ", StringComparison.Ordinal)
            ? Reply[(Reply.LastIndexOf(' ') + 1)..].Trim()
            : null;
}
