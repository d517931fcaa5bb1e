namespace Gateway.Smtp.Relay;

/// <summary>
/// When to try a deferred recipient again: the configured list of delays, or doubling delays from the first retry
/// up to a ceiling (5, 10, 20, 40, 60, 60... minutes by default, close to Postfix's 300 s to 4000 s backoff).
/// </summary>
public sealed class RetrySchedule(RelayOptions options)
{
    /// <summary>
    /// The next attempt after <paramref name="attempts"/> failed ones, or null when the queue lifetime is over.
    /// </summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        var expires = receivedAt + options.MaxQueueLifetime;
        if (now >= expires)
        {
            return null;
        }

        var next = now + Delay(attempts);

        // One last try at the end of the lifetime rather than giving up early or far too late.
        return next > expires ? expires : next;
    }

    public TimeSpan Delay(int attempts)
    {
        if (options.RetryDelays.Count > 0)
        {
            return options.RetryDelays[Math.Clamp(attempts - 1, 0, options.RetryDelays.Count - 1)];
        }

        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
