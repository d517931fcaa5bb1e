using Gateway.Core.Queue;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

/// <summary>Claims racing each other on one queue: whole messages, and no recipient twice.</summary>
[Collection("postgres")]
public sealed class RelayQueueClaimTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Claim_ManyWorkersAtOnce_NeverSplitsAMessageNorClaimsARecipientTwice()
    {
        await using var relay = await RelayHarness.CreateAsync(postgres);
        const int messageCount = 60;
        const int recipientsPerMessage = 5;
        for (var i = 0; i < messageCount; i++)
        {
            await relay.EnqueueAsync("sender@origin.test",
                Enumerable.Range(0, recipientsPerMessage).Select(r => $"r{r}.m{i}@dest.test").ToList());
        }

        // Eight workers claim small batches at the same moment, again and again, until the queue is empty.
        var queue = new RelayQueue(relay.DataSource, TimeProvider.System);
        var claims = new List<(string Worker, IReadOnlyList<ClaimedRecipient> Recipients)>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var worker = $"worker-{w}";
            var mine = new List<(string, IReadOnlyList<ClaimedRecipient>)>();
            for (var round = 0; round < 200; round++)
            {
                var claimed = await queue.ClaimAsync(worker, limit: 7, Lease, CancellationToken.None);
                if (claimed.Count > 0)
                {
                    mine.Add((worker, claimed));
                }
                else if (await DueCountAsync(relay) == 0)
                {
                    break;
                }
            }

            return mine;
        })).ToList();
        foreach (var result in await Task.WhenAll(workers))
        {
            claims.AddRange(result);
        }

        var all = claims.SelectMany(c => c.Recipients).ToList();
        Assert.Equal(messageCount * recipientsPerMessage, all.Count);
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
        var claimsPerMessage = claims
            .SelectMany((claim, index) => claim.Recipients.Select(r => (r.MessageId, index)))
            .GroupBy(x => x.MessageId)
            .Select(g => g.Select(x => x.index).Distinct().Count())
            .ToList();
        Assert.Equal(messageCount, claimsPerMessage.Count);
        Assert.All(claimsPerMessage, count => Assert.Equal(1, count));
    }

    private static async Task<long> DueCountAsync(RelayHarness relay)
    {
        await using var command = relay.DataSource.CreateCommand(
            "SELECT count(*) FROM recipients WHERE locked_until IS NULL");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
