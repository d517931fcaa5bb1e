namespace Gateway.Smtp.Relay.Routing;

/// <summary>
/// Where a group of recipients goes: the next hops to try in order, or the reason there is none. Recipients with the
/// same <see cref="Key"/> share a transaction per message and a connection per batch.
/// </summary>
public sealed record Destination(string Key, IReadOnlyList<NextHop> Hops, NextHopReply? Failure)
{
    public static Destination Unroutable(string key, NextHopReply failure) => new(key, [], failure);
}
