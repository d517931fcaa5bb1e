using System.Globalization;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

/// <summary>Separate gateway processes against one database: the queue is shared safely across nodes.</summary>
[Collection("postgres")]
public sealed class GatewayProcessTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> NodeSettings(string smarthost, string lease = "00:00:30") => new()
    {
        ["Gateway__Relay__Smarthost"] = smarthost,
        ["Gateway__Relay__Tls"] = "None",
        ["Gateway__Relay__PollInterval"] = "00:00:00.300",
        ["Gateway__Relay__RetryDelays__0"] = "00:00:00.500",
        ["Gateway__Relay__LeaseDuration"] = lease,
        ["Gateway__Relay__Concurrency"] = "2",
        ["Gateway__Relay__BatchSize"] = "5",
    };

    [Fact]
    public async Task TwoGatewayProcesses_OneDatabase_DeliverEachRecipientOnce()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            ReplyDelay = TimeSpan.FromMilliseconds(5),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        await using var first = await GatewayProcess.StartAsync(relay.ConnectionString,
            NodeSettings($"127.0.0.1:{downstream.Port}"));
        await using var second = await GatewayProcess.StartAsync(relay.ConnectionString,
            NodeSettings($"127.0.0.1:{downstream.Port}"));

        for (var i = 0; i < 60; i++)
        {
            await relay.EnqueueAsync("sender@origin.test", [$"a{i}@dest.test", $"b{i}@other.test"]);
        }

        await downstream.WaitForMessagesAsync(60, Wait);
        await Task.Delay(500);

        var delivered = downstream.Messages.SelectMany(m => m.Recipients).ToList();
        Assert.Equal(120, delivered.Count);
        Assert.Equal(120, delivered.Distinct().Count());
        Assert.Equal(120, await relay.ScalarAsync("SELECT count(*) FROM recipients WHERE state = 'Delivered'"));
        Assert.Equal(120, await relay.ScalarAsync("SELECT count(*) FROM delivery_attempts"));
        var nodes = await relay.ScalarAsync(
            "SELECT count(DISTINCT split_part(actor, '/', 2)) FROM events WHERE kind = 'Delivered'");
        Assert.Equal(2, nodes);
    }

    [Fact]
    public async Task GatewayProcessKilledMidDelivery_MessageDeliveredByAnotherWorkerAfterLease()
    {
        var dataArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hangUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        await using var downstream = new ScriptedDownstream
        {
            OnEndOfData = async _ =>
            {
                if (Interlocked.Increment(ref calls) > 1)
                {
                    return "250 2.0.0 Ok";
                }

                // First delivery: the data is in, the node dies before our reply; RFC 5321 §6.1 makes that
                // "not delivered", so the server keeps nothing.
                dataArrived.TrySetResult();
                await hangUp.Task;
                return null;
            },
        };
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var node = await GatewayProcess.StartAsync(relay.ConnectionString,
            NodeSettings(downstream.Endpoint, lease: "00:00:03"));
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await dataArrived.Task.WaitAsync(Wait);
        await node.KillAsync();
        hangUp.SetResult();
        var leased = await relay.RecipientsAsync(id);
        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = downstream.Endpoint));
        var rows = await relay.WaitForAsync(id, r => r.State == "Delivered", Wait);
        await node.DisposeAsync();

        Assert.Equal("Queued", leased[0].State);
        Assert.Equal(1, rows[0].AttemptCount);
        Assert.Single(downstream.Messages);
        Assert.Equal(2, calls);
        var worker = await relay.ScalarAsync(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM events WHERE kind = 'Delivered' AND actor LIKE '%/{node.Id}/%'"));
        Assert.Equal(0, worker);
    }
}
