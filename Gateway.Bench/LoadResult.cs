namespace Gateway.Bench;

/// <summary>What a load run saw: 250s, other replies, broken connections, end-of-DATA latencies in ms.</summary>
public sealed record LoadResult(int Accepted, int Rejected, int Errors, IReadOnlyList<double> Latencies);
