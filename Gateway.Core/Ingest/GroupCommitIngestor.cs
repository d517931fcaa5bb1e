using System.Diagnostics;
using System.Threading.Channels;
using Gateway.Core.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Core.Ingest;

/// <summary>
/// Commits messages in groups: every session hands its message to a channel and waits; a few writer loops take
/// whatever is waiting (up to <see cref="IngestOptions.MaxBatch"/>) and commit it in one transaction, so one
/// WAL flush answers many clients. A client is answered only after the commit that holds its message.
/// </summary>
public sealed class GroupCommitIngestor(
    NpgsqlDataSource dataSource,
    IOptions<IngestOptions> options,
    ILogger<GroupCommitIngestor> logger) : BackgroundService, IMessageIngestor
{
    /// <summary>The channel the relay workers LISTEN on; notified in the same transaction as new mail.</summary>
    public const string QueueChannel = "gateway_queue";

    private readonly Channel<PendingCommit> _pending = Channel.CreateUnbounded<PendingCommit>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    /// <summary>
    /// Commits the message with the next group. A message whose <paramref name="cancellationToken"/> is cancelled
    /// before a writer takes it is dropped, never written (an HTTP client that gave up and may retry with its
    /// Idempotency-Key must not find its first attempt committed much later); once taken, it is written or fails
    /// within the database's command timeout.
    /// </summary>
    public Task CommitAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var pending = new PendingCommit(message, cancellationToken);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new IngestUnavailableException("The gateway is shutting down.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writers = Math.Max(1, options.Value.Writers);
        return Task.WhenAll(Enumerable.Range(0, writers).Select(_ => WriteLoopAsync(stoppingToken)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Finish what sessions already handed over before the writers stop; nothing waiting is dropped silently.
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingCommit>(options.Value.MaxBatch);
        while (await WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < options.Value.MaxBatch && _pending.Reader.TryRead(out var next))
            {
                if (!next.DropIfCancelled())
                {
                    batch.Add(next);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
            }
        }

        // Shutting down: whatever is left is answered with a temporary failure, never left hanging.
        while (_pending.Reader.TryRead(out var left))
        {
            left.Completion.TrySetException(new IngestUnavailableException("The gateway is shutting down."));
        }
    }

    private async Task<bool> WaitToReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await _pending.Reader.WaitToReadAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task CommitBatchAsync(List<PendingCommit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await WriteAsync(batch.Select(p => p.Message).ToList());
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            StoreLog.BatchCommitted(logger, batch.Count, elapsed);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult();
            }

            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            StoreLog.BatchFailed(logger, batch.Count, ex);
        }
        catch (Exception ex)
        {
            Fail(batch[0], ex);
            return;
        }

        // One bad message must not cost the others their place: retry each on its own.
        foreach (var pending in batch)
        {
            if (pending.DropIfCancelled())
            {
                continue;
            }

            try
            {
                await WriteAsync([pending.Message]);
                pending.Completion.TrySetResult();
            }
            catch (Exception ex)
            {
                Fail(pending, ex);
            }
        }
    }

    private void Fail(PendingCommit pending, Exception ex)
    {
        StoreLog.MessageCommitFailed(logger, pending.Message.Id, ex);
        pending.Completion.TrySetException(new IngestUnavailableException("The message store is unavailable.", ex));
    }

    private async Task WriteAsync(IReadOnlyList<IncomingMessage> messages)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        IngestCommands.Add(batch, messages);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {QueueChannel}"));
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Adds the inserts that store one message; the relay queues its notices with these too.</summary>
    internal static void AddCommands(NpgsqlBatch batch, IncomingMessage message) =>
        IngestCommands.Add(batch, [message]);

    private sealed class PendingCommit(IncomingMessage message, CancellationToken cancellationToken)
    {
        public IncomingMessage Message { get; } = message;

        /// <summary>True (and the waiter told so) when the submitter gave up before this was written.</summary>
        public bool DropIfCancelled()
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            Completion.TrySetCanceled(cancellationToken);
            return true;
        }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
