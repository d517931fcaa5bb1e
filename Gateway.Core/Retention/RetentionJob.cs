using Gateway.Core.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Retention;

/// <summary>
/// Keeps the database from growing without bound: every interval it drops the bodies of mail finished longer ago
/// than <see cref="RetentionOptions.PurgeBodiesAfter"/>, then deletes mail finished longer ago than
/// <see cref="RetentionOptions.DeleteMessagesAfter"/>, batch by batch until nothing is left to do.
/// </summary>
public sealed class RetentionJob(
    RetentionSweeper sweeper,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    private readonly RetentionOptions _options = options.Value;

    /// <summary>One full sweep; returns the bodies purged, the messages deleted and the idempotency keys forgotten.</summary>
    public async Task<(int BodiesPurged, int MessagesDeleted, int KeysForgotten)> SweepAsync(
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var purged = 0;
        if (_options.PurgeBodiesAfter > TimeSpan.Zero)
        {
            purged = await RepeatAsync(batch => sweeper.PurgeBodiesAsync(now - _options.PurgeBodiesAfter, now, batch,
                cancellationToken), cancellationToken);
        }

        var deleted = 0;
        if (_options.DeleteMessagesAfter > TimeSpan.Zero)
        {
            deleted = await RepeatAsync(batch => sweeper.DeleteMessagesAsync(now - _options.DeleteMessagesAfter,
                batch, cancellationToken), cancellationToken);
        }

        var forgotten = 0;
        if (_options.ForgetIdempotencyKeysAfter > TimeSpan.Zero)
        {
            forgotten = await RepeatAsync(batch => sweeper.ForgetIdempotencyKeysAsync(
                now - _options.ForgetIdempotencyKeysAfter, batch, cancellationToken), cancellationToken);
        }

        if (purged > 0 || deleted > 0 || forgotten > 0)
        {
            RetentionLog.Swept(logger, purged, deleted, forgotten);
        }

        return (purged, deleted, forgotten);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database away or a foreign key we do not know: try again next interval.
                RetentionLog.SweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(_options.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> RepeatAsync(Func<int, Task<int>> batch, CancellationToken cancellationToken)
    {
        var size = Math.Max(1, _options.BatchSize);
        var total = 0;
        while (true)
        {
            var done = await batch(size);
            total += done;
            if (done < size)
            {
                return total;
            }

            await Task.Delay(_options.BatchPause, time, cancellationToken);
        }
    }
}
