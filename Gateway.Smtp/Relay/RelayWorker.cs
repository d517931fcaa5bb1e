using System.Globalization;
using System.Threading.Channels;
using Gateway.Core.Ingest;
using Gateway.Core.Queue;
using Gateway.Core.Telemetry;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Relay.Notices;
using Gateway.Smtp.Relay.Routing;
using Gateway.Smtp.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Smtp.Relay;

/// <summary>
/// Delivers queued mail. Each loop claims a batch of due recipients under a lease, routes them, and per destination
/// sends each message once to all its recipients there, many messages over one connection; then it records every
/// recipient's outcome and queues the notices the senders asked for. Idle loops wake on the queue's NOTIFY, and
/// poll as a fallback. See docs/relay.md.
/// </summary>
public sealed partial class RelayWorker(
    RelayQueue queue,
    NpgsqlDataSource dataSource,
    NextHopRouter router,
    DeliveryStatusNotifier notifier,
    IOptions<RelayOptions> options,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<RelayWorker> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value;
    private readonly RetrySchedule _schedule = new(options.Value);
    private readonly DestinationGate _gate = new(options.Value.MaxConnectionsPerDestination);
    private readonly IdleConnections _idle = new(options.Value.ConnectionIdleTimeout,
        options.Value.MaxConnectionsPerDestination, time, metrics.ConnectionClosed);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Names this process's leases: host, process id and a random part, within the 128-char column.</summary>
    public string WorkerId { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName[..Math.Min(60, Environment.MachineName.Length)]}/{Environment.ProcessId}/" +
        $"{Guid.NewGuid():N}");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Say where mail goes before any goes: without a smarthost it leaves for the recipients' own servers.
        if (string.IsNullOrWhiteSpace(_options.Smarthost))
        {
            RelayLog.StartedByMx(logger, Math.Max(1, _options.Concurrency), _options.Routes.Count);
        }
        else
        {
            RelayLog.StartedWithSmarthost(logger, Math.Max(1, _options.Concurrency), _options.Smarthost,
                _options.Routes.Count);
        }

        var loops = Enumerable.Range(0, Math.Max(1, _options.Concurrency))
            .Select(loop => Task.Run(() => DeliveryLoopAsync(loop, stoppingToken), stoppingToken));
        return Task.WhenAll(loops.Append(ListenAsync(stoppingToken)).Append(SweepIdleAsync(stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // The delivery loops have ended: the connections kept between rounds are told QUIT.
        await _idle.CloseAllAsync();
    }

    // Closes kept connections that have been idle for too long, a few times per idle period.
    private async Task SweepIdleAsync(CancellationToken stoppingToken)
    {
        if (!_idle.Enabled)
        {
            return;
        }

        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks,
            _options.ConnectionIdleTimeout.Ticks / 4));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(period, time, stoppingToken);
                await _idle.CloseExpiredAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync closes what is left.
        }
    }

    private async Task DeliveryLoopAsync(int loop, CancellationToken stoppingToken)
    {
        // Each loop holds its leases under its own name, so that fencing (results recorded only by the lease's
        // holder) also tells apart two loops of this process: one whose lease ran out during a slow transaction
        // cannot overwrite what the loop that claimed the recipients after it did.
        var owner = string.Create(CultureInfo.InvariantCulture, $"{WorkerId}#{loop}");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await queue.ClaimAsync(owner, _options.BatchSize, _options.LeaseDuration,
                    stoppingToken);
                if (claimed.Count == 0)
                {
                    await WaitForWorkAsync(stoppingToken);
                    continue;
                }

                RelayLog.ClaimedRecipients(logger, owner, claimed.Count);
                await DeliverAsync(claimed, owner, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Database outage or a bug: claimed recipients come back when their lease runs out.
                RelayLog.LoopFaulted(logger, WorkerId, ex);
                await PauseAsync(stoppingToken);
            }
        }
    }

    private async Task PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends it.
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(_options.PollInterval);
        try
        {
            await _wake.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Poll interval passed without a notification: look anyway (deferred mail becomes due silently).
        }
    }

    // LISTEN on a connection of its own; a notification wakes one idle loop, which wakes the next if it finds work.
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => _wake.Writer.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"LISTEN {GroupCommitIngestor.QueueChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // The database went away; polling carries on meanwhile, and we listen again once it is back.
                await PauseAsync(stoppingToken);
            }
        }
    }
}
