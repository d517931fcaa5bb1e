using Gateway.Core.Queue;

namespace Gateway.Smtp.Relay;

/// <summary>
/// The lease on one claimed batch. It is renewed once a third of it has passed, before the next transaction
/// starts, so a slow batch keeps its recipients; a recipient whose lease was lost (the worker stalled past it and
/// another worker claimed it) is no longer sent by this worker.
/// </summary>
internal sealed class BatchLease(
    RelayQueue queue,
    string workerId,
    IReadOnlyList<ClaimedRecipient> claimed,
    TimeSpan duration,
    TimeProvider time)
{
    private readonly long[] _ids = claimed.Select(c => c.Id).ToArray();
    private DateTimeOffset _renewedAt = time.GetUtcNow();
    private HashSet<long>? _held;

    public bool Holds(ClaimedRecipient recipient) => _held is null || _held.Contains(recipient.Id);

    /// <summary>A third of the lease has passed since it was taken or last renewed.</summary>
    public bool IsRenewalDue => time.GetUtcNow() - _renewedAt >= duration / 3;

    /// <summary>Renews the lease on every recipient this worker still holds; the others are no longer sent.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _held = await queue.RenewAsync(workerId, _ids, duration, cancellationToken);
        _renewedAt = now;
    }
}
