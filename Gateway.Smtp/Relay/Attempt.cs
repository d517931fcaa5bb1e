namespace Gateway.Smtp.Relay;

/// <summary>
/// Where and how a transaction was tried: the next hop as recorded, the TLS protocol, start and length.
/// </summary>
internal sealed record Attempt(string NextHop, string? TlsProtocol, DateTimeOffset StartedAt, double DurationMs)
{
    /// <summary>The next hop offered DSN, so the recipients' DSN parameters went with them.</summary>
    public bool DsnPassedOn { get; init; }
}
