using Gateway.Core.Ingest;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Relay;

/// <summary>
/// A submitter that gives up before a writer takes its message (an HTTP client gone, which may retry with its
/// Idempotency-Key) must not have that message committed later; the others of the group are committed as usual.
/// </summary>
[Collection("postgres")]
public sealed class GroupCommitCancellationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MessageCancelledBeforeAWriterTakesIt_IsNeverWritten_OthersAre()
    {
        await using var harness = await RelayHarness.CreateAsync(postgres);
        var ingestor = new GroupCommitIngestor(harness.DataSource, Options.Create(new IngestOptions()),
            NullLogger<GroupCommitIngestor>.Instance);
        using var gaveUp = new CancellationTokenSource();
        var abandoned = Message("abandoned@dest.test");
        var kept = Message("kept@dest.test");

        // The writers are not running yet, so both wait in the channel when the first submitter gives up.
        var abandonedCommit = ingestor.CommitAsync(abandoned, gaveUp.Token);
        var keptCommit = ingestor.CommitAsync(kept, CancellationToken.None);
        await gaveUp.CancelAsync();
        await ingestor.StartAsync(CancellationToken.None);
        await keptCommit.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandonedCommit);
        await ingestor.StopAsync(CancellationToken.None);

        Assert.Equal(1, await harness.ScalarAsync($"SELECT count(*) FROM messages WHERE id = '{kept.Id}'"));
        Assert.Equal(0, await harness.ScalarAsync($"SELECT count(*) FROM messages WHERE id = '{abandoned.Id}'"));
    }

    private static IncomingMessage Message(string recipient) => new()
    {
        Id = Guid.CreateVersion7(),
        ReceivedAt = DateTimeOffset.UtcNow,
        ClientAddress = "127.0.0.1",
        HeloName = "client.test",
        ReversePath = "sender@origin.test",
        Recipients = [recipient],
        Content = "Subject: cancel\r\n\r\nbody\r\n"u8.ToArray(),
    };
}
