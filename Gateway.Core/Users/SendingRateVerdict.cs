namespace Gateway.Core.Users;

/// <summary>Whether a user may submit another message now, and if not, which limit was hit and when to retry.</summary>
public sealed record SendingRateVerdict(bool Allowed, string? Limit, DateTimeOffset? RetryAfter)
{
    public static SendingRateVerdict Allow { get; } = new(true, null, null);
}
