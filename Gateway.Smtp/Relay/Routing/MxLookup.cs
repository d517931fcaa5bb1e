namespace Gateway.Smtp.Relay.Routing;

/// <summary>What DNS said about a mail domain (RFC 5321 §5.1, RFC 7505).</summary>
public sealed record MxLookup(MxLookupOutcome Outcome, IReadOnlyList<MxHost> Hosts, string Detail);
