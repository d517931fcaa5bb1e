namespace Gateway.Smtp.Relay;

/// <summary>
/// Records one connection's results behind its sending: while one commit runs, the next transactions go out, and
/// whatever finished meanwhile is recorded together in the following commit. So a slow commit costs the next hop
/// no waiting, and a fast one records every transaction on its own. A failed commit surfaces at the next
/// <see cref="AddAsync"/> or <see cref="FlushAsync"/>; results not yet recorded when a worker dies are delivered
/// again once their lease runs out, as for a crash (docs/relay.md).
/// </summary>
internal sealed class ResultRecorder(
    Func<IReadOnlyList<TransactionResults>, CancellationToken, Task> record,
    CancellationToken cancellationToken)
{
    // The most transactions waiting behind a running commit before sending waits for it.
    private const int MaxWaiting = 64;

    private List<TransactionResults> _waiting = [];
    private Task _recording = Task.CompletedTask;

    public async Task AddAsync(TransactionResults results)
    {
        _waiting.Add(results);
        if (!_recording.IsCompleted && _waiting.Count < MaxWaiting)
        {
            return;
        }

        await _recording;
        StartRecording();
    }

    /// <summary>Records everything still waiting and returns once it is committed.</summary>
    public async Task FlushAsync()
    {
        await _recording;
        if (_waiting.Count > 0)
        {
            StartRecording();
            await _recording;
        }
    }

    private void StartRecording()
    {
        var batch = _waiting;
        _waiting = [];
        _recording = record(batch, cancellationToken);
    }
}
