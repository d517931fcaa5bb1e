namespace Gateway.Core.Retention;

/// <summary>
/// How long finished mail is kept (<c>Gateway:Retention</c>). A message is finished when none of its recipients is
/// queued, deferred or held any more; its age counts from its last recipient's last change. A zero or negative
/// period turns that step off.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>After this long the raw bytes are dropped; envelope, headers, attempts and events stay.</summary>
    public TimeSpan PurgeBodiesAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After this long the whole record goes: message, recipients, attempts, events.</summary>
    public TimeSpan DeleteMessagesAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// After this long an API Idempotency-Key is forgotten: a request repeated later with the same key queues a
    /// new message. Keys are a guard against a client's retries, which come within minutes, not days.
    /// </summary>
    public TimeSpan ForgetIdempotencyKeysAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the job looks for work.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages per statement; each batch is its own short transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>A breather between batches, so a large backlog never crowds out the queue's own queries.</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(50);
}
