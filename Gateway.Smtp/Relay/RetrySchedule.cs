namespace Gateway.Smtp.Relay;

/// <summary>When to try a deferred recipient again: doubling delays from the first retry up to a ceiling.</summary>
public sealed class RetrySchedule(RelayOptions options)
{
    /// <summary>The next attempt after <paramref name="attempts"/> failed ones, or null when the queue lifetime is over.</summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        if (now - receivedAt >= options.MaxQueueLifetime)
        {
            return null;
        }

        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        var delay = TimeSpan.FromTicks((long)ticks);
        return now + delay;
    }
}
