using System.Net;

namespace Gateway.Smtp.Relay.Routing;

/// <summary>A mail exchanger and its addresses, IPv4 first.</summary>
public sealed record MxHost(string Name, int Preference, IReadOnlyList<IPAddress> Addresses);
