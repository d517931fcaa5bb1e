namespace Gateway.Core.ApiKeys;

/// <summary>An API key's sending limits; null for none.</summary>
public sealed record ApiKeyLimits(int? MessagesPerMinute, int? MessagesPerDay)
{
    public static ApiKeyLimits None { get; } = new(null, null);
}
