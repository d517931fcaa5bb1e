using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Telemetry;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>
/// One message's path can be followed by its queue id: an SMTP transaction activity, then its delivery attempts.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly DownstreamSmtpServer _downstream = new();
    private GatewayHost _gateway = null!;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        _gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{_downstream.Port}",
        });
    }

    [Fact]
    public async Task Activities_ForOneMessage_CarryItsQueueIdFromTransactionToDelivery()
    {
        var deferredOnce = $"traced-{Guid.NewGuid():N}@example.net";
        _downstream.Script.EnqueueRecipientReplies(deferredOnce, DownstreamReply.TemporaryFailure);

        var queueId = await Submit.MessageAsync(_gateway.SmtpPort, "Trace me.\r\n", deferredOnce);

        var attempts = await Eventually.HoldsAsync(
            () => Task.FromResult(Tagged(queueId).Where(a => a.OperationName == "relay.attempt").ToList()),
            list => list.Count >= 2, TimeSpan.FromSeconds(30), "two delivery attempts");
        var transaction = Assert.Single(Tagged(queueId), a => a.OperationName == "smtp.transaction");
        Assert.Equal(ActivityKind.Server, transaction.Kind);
        Assert.Equal(ActivityStatusCode.Ok, transaction.Status);
        Assert.Equal(["deferred", "delivered"], attempts.Select(a => a.GetTagItem("gateway.delivery.outcome")));
        Assert.All(attempts, a => Assert.True(a.StartTimeUtc >= transaction.StartTimeUtc));
    }

    private IEnumerable<Activity> Tagged(string queueId) =>
        _stopped.Where(a => Equals(a.GetTagItem(GatewayTelemetry.QueueIdTag), queueId));

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }
}
