using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Faults;

/// <summary>
/// The next hop is down for a while: recipients defer (several attempts each), none bounces, and all are delivered
/// exactly once after it comes back.
/// </summary>
public sealed class NextHopOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private string _database = null!;
    private DownstreamSmtpServer _downstream = null!;
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.NewDatabaseAsync();
        _downstream = new DownstreamSmtpServer();
        _downstream.Stop();
        _gateway = await GatewayProcess.StartAsync(_database, _downstream.Port);
    }

    [Fact]
    public async Task NextHop_DownForAWhile_AllDeferredThenDeliveredNoneBounced()
    {
        var load = new MailLoad(() => _gateway.SmtpPort);
        load.Start(clients: 4);
        await load.WaitForAcceptedAsync(FaultScale.Pick(40, 400), TimeSpan.FromSeconds(120));
        await load.StopAsync();
        var accepted = load.Records.Where(r => r.Outcome == SendOutcome.Accepted).ToList();
        Assert.Equal(load.Records.Count, accepted.Count);

        // Down for a while: every recipient deferred, retried, and not failed.
        var outage = DateTime.UtcNow + FaultScale.Pick(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(60));
        Dictionary<string, long> states;
        do
        {
            await Task.Delay(500);
            states = await FaultDatabase.RecipientStatesAsync(_database);
        }
        while (DateTime.UtcNow < outage || states.GetValueOrDefault("Queued") > 0);

        Assert.Equal(accepted.Count, states.GetValueOrDefault("Deferred"));
        var attempts = await FaultDatabase.CountAsync(_database, "delivery_attempts");
        Assert.True(attempts >= 2 * accepted.Count, $"only {attempts} attempts for {accepted.Count} recipients");

        _downstream.Start();
        var tally = await SinkTally.WaitForAsync(
            _downstream, accepted.Select(r => r.Tag).ToList(), TimeSpan.FromSeconds(60));
        Assert.All(accepted, r => Assert.Equal(1, tally.Counts.GetValueOrDefault(r.Tag)));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            states = await FaultDatabase.RecipientStatesAsync(_database);
        }
        while (states.GetValueOrDefault("Delivered") < accepted.Count && DateTime.UtcNow < deadline);

        Assert.Equal(accepted.Count, states.GetValueOrDefault("Delivered"));
        Assert.Equal(0, states.GetValueOrDefault("Failed"));
        output.WriteLine($"{accepted.Count} recipients, {attempts} attempts during the outage, all delivered once");
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_downstream is not null)
        {
            await _downstream.DisposeAsync();
        }
    }
}
