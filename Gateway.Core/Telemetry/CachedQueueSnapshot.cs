namespace Gateway.Core.Telemetry;

/// <summary>
/// The queue snapshot behind the queue gauges. A scrape reads the cached snapshot; one older than the refresh
/// interval is re-read from the database first, by one caller at a time and within a short deadline, so frequent
/// scrapes or many scrapers cost one small query per interval and a slow database cannot hang a scrape.
/// </summary>
public sealed class CachedQueueSnapshot(QueueStatistics statistics, TimeProvider time)
{
    private readonly Lock _gate = new();
    private QueueSnapshot? _snapshot;
    private Task? _refresh;

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReadDeadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The latest snapshot, or null while the database has not answered (the gauges report nothing).</summary>
    public QueueSnapshot? Current()
    {
        Task refresh;
        lock (_gate)
        {
            if (_snapshot is not null && time.GetUtcNow() - _snapshot.TakenAt < RefreshInterval)
            {
                return _snapshot;
            }

            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync();
            }

            refresh = _refresh;
        }

        // Observable instruments are read synchronously by the exporter; the wait is bounded by ReadDeadline.
        // A failed read leaves the old snapshot, which ages out: the gauges go silent while the database is away.
        try
        {
            refresh.Wait(ReadDeadline);
        }
        catch (AggregateException)
        {
            // Reported by the readiness check and the logs of whatever else needs the database.
        }

        lock (_gate)
        {
            return _snapshot is not null && time.GetUtcNow() - _snapshot.TakenAt < 3 * RefreshInterval
                ? _snapshot
                : null;
        }
    }

    private async Task RefreshAsync()
    {
        using var deadline = new CancellationTokenSource(RefreshInterval + ReadDeadline);
        var snapshot = await statistics.ReadAsync(deadline.Token).ConfigureAwait(false);
        lock (_gate)
        {
            _snapshot = snapshot;
        }
    }
}
