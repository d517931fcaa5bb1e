using Gateway.Core.Queue;
using Gateway.Smtp.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Relay;

/// <summary>
/// The recorder behind the relay's sending, with a scripted commit in place of the database: nothing handed to it
/// is dropped because another commit failed, results waiting behind a commit are committed when it ends, and
/// recording never throws into the sending.
/// </summary>
public sealed class ResultRecorderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FailedCommit_IsTriedAgain_AndLaterResultsAreStillRecorded()
    {
        var committed = new List<int>();
        var calls = 0;
        var recorder = new ResultRecorder((batch, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("the database went away for a moment");
            }

            lock (committed)
            {
                committed.AddRange(batch.Select(Number));
            }

            return Task.CompletedTask;
        }, NullLogger.Instance);

        await recorder.AddAsync(Results(1));
        await recorder.AddAsync(Results(2));
        await recorder.AddAsync(Results(3));
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal([1, 2, 3], committed.Order());
    }

    [Fact]
    public async Task ResultsWaitingBehindACommit_AreCommittedWhenItEnds_WithoutAnotherAdd()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<IReadOnlyList<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var recorder = new ResultRecorder(async (batch, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                started.SetResult();
                await first.Task;
                return;
            }

            second.TrySetResult(batch.Select(Number).ToList());
        }, NullLogger.Instance);

        await recorder.AddAsync(Results(1));
        await started.Task.WaitAsync(Patience);
        await recorder.AddAsync(Results(2));
        await recorder.AddAsync(Results(3));
        first.SetResult();

        Assert.Equal([2, 3], await second.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task CommitThatKeepsFailing_IsGivenUp_WithoutThrowingIntoTheSending()
    {
        var calls = 0;
        var recorder = new ResultRecorder((_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("the database is down");
        }, NullLogger.Instance);

        await recorder.AddAsync(Results(1));
        await recorder.FlushAsync().WaitAsync(Patience);
        await recorder.AddAsync(Results(2));
        await recorder.FlushAsync().WaitAsync(Patience);

        Assert.Equal(4, calls);
    }

    private static TransactionResults Results(int number) =>
        new(new QueuedMessage(Guid.NewGuid(), $"sender{number}@origin.test", DateTimeOffset.UnixEpoch, []), []);

    private static int Number(TransactionResults results) =>
        int.Parse(results.Message.ReversePath["sender".Length..results.Message.ReversePath.IndexOf('@')],
            System.Globalization.CultureInfo.InvariantCulture);
}
