using Gateway.Smtp.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Relay;

/// <summary>
/// Records one connection's results behind its sending: while one commit runs, the next transactions go out, and
/// whatever finished meanwhile is committed together as soon as that commit ends. So a slow commit costs the next
/// hop no waiting. Recording never throws into the sending: a commit that fails is tried once more, and results
/// that still cannot be recorded are logged and left to their lease — their recipients are delivered again once it
/// runs out, as after a crash (docs/relay.md). Commits are not cancelled by shutdown: what was delivered is
/// recorded before the worker stops.
/// </summary>
internal sealed class ResultRecorder(
    Func<IReadOnlyList<TransactionResults>, CancellationToken, Task> record,
    ILogger logger)
{
    // The most transactions waiting behind a running commit before sending waits for it.
    private const int MaxWaiting = 64;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private List<TransactionResults> _waiting = [];
    private bool _running;
    private Task _recording = Task.CompletedTask;

    public Task AddAsync(TransactionResults results)
    {
        lock (_gate)
        {
            _waiting.Add(results);
            if (!_running)
            {
                _running = true;
                _recording = RecordWhileWaitingAsync();
                return Task.CompletedTask;
            }

            // Too much waiting: the sender waits until the commits have caught up.
            return _waiting.Count < MaxWaiting ? Task.CompletedTask : _recording;
        }
    }

    /// <summary>Returns once everything added so far has been committed (or given up on and logged).</summary>
    public async Task FlushAsync()
    {
        while (true)
        {
            Task recording;
            lock (_gate)
            {
                if (!_running)
                {
                    return;
                }

                recording = _recording;
            }

            await recording;
        }
    }

    // Commits what waits, then what arrived during that commit, until nothing waits.
    private async Task RecordWhileWaitingAsync()
    {
        await Task.Yield();
        while (true)
        {
            List<TransactionResults> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                batch = _waiting;
                _waiting = [];
            }

            await RecordOrGiveUpAsync(batch);
        }
    }

    private async Task RecordOrGiveUpAsync(List<TransactionResults> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await record(batch, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (attempt == 1)
            {
                RelayLog.RecordingRetried(logger, batch.Count, ex);
                await Task.Delay(RetryDelay);
            }
            catch (Exception ex)
            {
                RelayLog.RecordingFailed(logger, batch.Count, ex);
                return;
            }
        }
    }
}
