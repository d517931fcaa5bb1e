namespace Gateway.Api.Api;

/// <summary>The queue at a glance.</summary>
/// <param name="Recipients">Recipients per state (Queued, Deferred, Delivered, Failed, Held, Cancelled).</param>
/// <param name="OldestQueuedAgeSeconds">Age of the oldest message still waiting (queued or deferred), if any.</param>
/// <param name="PerMinute">Received and delivered counts per minute over the last 24 hours; quiet minutes omitted.</param>
public sealed record QueueStats(
    long Messages,
    IReadOnlyDictionary<string, long> Recipients,
    double? OldestQueuedAgeSeconds,
    IReadOnlyList<MinuteThroughput> PerMinute);

/// <summary>Events in one minute.</summary>
public sealed record MinuteThroughput(DateTimeOffset Minute, long Received, long Delivered, long Deferred, long Failed);
