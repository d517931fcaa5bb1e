using System.Collections.Concurrent;

namespace Gateway.Smtp.Relay;

/// <summary>
/// Caps the connections this process holds open to one destination at once
/// (<see cref="RelayOptions.MaxConnectionsPerDestination"/>). The cap is per process: two gateway processes may each
/// open that many to the same destination.
/// </summary>
public sealed class DestinationGate(int limit)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string destination, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(destination, _ => new SemaphoreSlim(Math.Max(1, limit)));
        await gate.WaitAsync(cancellationToken);
        return new Lease(gate);
    }

    /// <summary>How many connections to <paramref name="destination"/> are open right now.</summary>
    public int InUse(string destination) =>
        _gates.TryGetValue(destination, out var gate) ? Math.Max(1, limit) - gate.CurrentCount : 0;

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
