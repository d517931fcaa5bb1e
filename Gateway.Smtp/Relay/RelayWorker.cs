using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Gateway.Core.Domain;
using Gateway.Core.Ingest;
using Gateway.Core.Queue;
using Gateway.Core.Telemetry;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Smtp.Relay;

/// <summary>
/// Delivers queued mail to the smarthost. Each loop claims a batch of due recipients under a lease, sends each
/// message once to all its claimed recipients over one connection, and records every recipient's outcome.
/// Idle loops wake on the queue's NOTIFY, and poll as a fallback.
/// </summary>
public sealed class RelayWorker(
    RelayQueue queue,
    NpgsqlDataSource dataSource,
    IOptions<RelayOptions> options,
    IOptions<SmtpOptions> smtpOptions,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<RelayWorker> logger) : BackgroundService
{
    private readonly RelayOptions _options = options.Value;
    private readonly RetrySchedule _schedule = new(options.Value);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Names this process's leases: host, process id and a random part, within the 128-char column.</summary>
    public string WorkerId { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName[..Math.Min(60, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = Enumerable.Range(0, Math.Max(1, _options.Concurrency))
            .Select(_ => Task.Run(() => DeliveryLoopAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(loops.Append(ListenAsync(stoppingToken)));
    }

    private async Task DeliveryLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await queue.ClaimAsync(WorkerId, _options.BatchSize, _options.LeaseDuration,
                    stoppingToken);
                if (claimed.Count == 0)
                {
                    await WaitForWorkAsync(stoppingToken);
                    continue;
                }

                RelayLog.ClaimedRecipients(logger, WorkerId, claimed.Count);
                await DeliverAsync(claimed, stoppingToken);
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

    private async Task DeliverAsync(IReadOnlyList<ClaimedRecipient> claimed, CancellationToken stoppingToken)
    {
        // Another loop may be idle while more mail waits: pass the wake-up on.
        _wake.Writer.TryWrite(true);

        var messages = await queue.LoadAsync(claimed.Select(c => c.MessageId), stoppingToken);
        var byMessage = claimed.Where(c => messages.ContainsKey(c.MessageId)).GroupBy(c => c.MessageId).ToList();
        var nextHop = _options.Smarthost;
        if (string.IsNullOrWhiteSpace(nextHop))
        {
            foreach (var group in byMessage)
            {
                await RecordAsync(messages[group.Key], group.ToList(), "none", time.GetUtcNow(), 0,
                    null, "No route: Gateway:Relay:Smarthost is not configured", stoppingToken);
            }

            return;
        }

        var (host, port) = ParseHostPort(nextHop);
        SmtpDeliveryClient? client = null;
        try
        {
            foreach (var group in byMessage)
            {
                var message = messages[group.Key];
                var recipients = group.ToList();
                var started = time.GetUtcNow();
                var stopwatch = Stopwatch.StartNew();
                using var activity = AttemptActivity.Start(message.Id, recipients.Count, nextHop);
                try
                {
                    if (client is null)
                    {
                        client = await SmtpDeliveryClient.ConnectAsync(host, port, HeloName, _options.CommandTimeout,
                            stoppingToken);
                        metrics.ConnectionOpened();
                    }

                    var replies = await client.SendAsync(message.ReversePath,
                        recipients.Select(r => r.Address).ToList(), message.Content, stoppingToken);
                    await RecordRepliesAsync(message, recipients, replies, nextHop, started,
                        stopwatch.Elapsed.TotalMilliseconds, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Refused connection, timeout, 421 or an error of ours: every recipient of this message waits
                    // for a later try rather than sitting out its lease.
                    var reply = (ex as NextHopException)?.Reply;
                    await RecordAsync(message, recipients, nextHop, started, stopwatch.Elapsed.TotalMilliseconds,
                        reply, ex.Message, stoppingToken);
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                        metrics.ConnectionClosed();
                        client = null;
                    }
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.QuitAsync(CancellationToken.None);
                await client.DisposeAsync();
                metrics.ConnectionClosed();
            }
        }
    }

    private string HeloName => string.IsNullOrWhiteSpace(_options.HeloName)
        ? smtpOptions.Value.Hostname
        : _options.HeloName;

    private async Task RecordRepliesAsync(
        QueuedMessage message,
        List<ClaimedRecipient> recipients,
        IReadOnlyList<NextHopReply> replies,
        string nextHop,
        DateTimeOffset started,
        double durationMs,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = recipients.Select((recipient, i) =>
        {
            var reply = replies[i];
            var outcome = reply.IsPositive ? AttemptOutcome.Delivered
                : reply.IsTransient ? AttemptOutcome.Deferred
                : AttemptOutcome.Failed;
            return Result(message, recipient, outcome, started, durationMs, nextHop, reply.Code, reply.EnhancedCode,
                reply.Text, now);
        }).ToList();
        await queue.RecordAsync(WorkerId, results, cancellationToken);
        Log(message, results);
    }

    private async Task RecordAsync(
        QueuedMessage message,
        List<ClaimedRecipient> recipients,
        string nextHop,
        DateTimeOffset started,
        double durationMs,
        NextHopReply? reply,
        string text,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = recipients.Select(recipient => Result(message, recipient, AttemptOutcome.Deferred, started,
            durationMs, nextHop, reply?.Code, reply?.EnhancedCode, reply?.Text ?? text, now)).ToList();
        await queue.RecordAsync(WorkerId, results, cancellationToken);
        Log(message, results);
    }

    private DeliveryResult Result(
        QueuedMessage message,
        ClaimedRecipient recipient,
        AttemptOutcome outcome,
        DateTimeOffset started,
        double durationMs,
        string nextHop,
        int? code,
        string? enhancedCode,
        string? text,
        DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        if (outcome == AttemptOutcome.Deferred)
        {
            next = _schedule.NextAttempt(recipient.AttemptCount + 1, message.ReceivedAt, now);
            if (next is null)
            {
                outcome = AttemptOutcome.Failed;
                text = $"Gave up after the maximum queue lifetime; last error: {text}";
            }
        }

        return new DeliveryResult(recipient, outcome, started, durationMs, nextHop, code, enhancedCode, text, next);
    }

    private void Log(QueuedMessage message, List<DeliveryResult> results)
    {
        AttemptActivity.Finish(Activity.Current, results);
        if (results.Count > 0)
        {
            metrics.AttemptFinished(results.Max(r => r.Outcome), TimeSpan.FromMilliseconds(results[0].DurationMs));
        }

        var queueId = message.Id.ToString("N");
        foreach (var result in results)
        {
            metrics.RecipientAttempted(result.Outcome);
            var reply = result.ReplyCode is null ? result.ReplyText : $"{result.ReplyCode} {result.ReplyText}";
            switch (result.Outcome)
            {
                case AttemptOutcome.Delivered:
                    var delay = result.StartedAt - message.ReceivedAt + TimeSpan.FromMilliseconds(result.DurationMs);
                    metrics.RecipientDelivered(delay);
                    RelayLog.Delivered(logger, queueId, result.Recipient.Address, result.NextHop,
                        delay.TotalMilliseconds, reply);
                    break;
                case AttemptOutcome.Deferred:
                    RelayLog.Deferred(logger, queueId, result.Recipient.Address, result.NextHop, reply,
                        result.NextAttemptAt);
                    break;
                default:
                    RelayLog.Failed(logger, queueId, result.Recipient.Address, result.NextHop, reply);
                    break;
            }
        }
    }

    private static (string Host, int Port) ParseHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon > 0 && !value.EndsWith(']') &&
            int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (value[..colon].Trim('[', ']'), port);
        }

        return (value.Trim('[', ']'), 25);
    }
}
