using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Faults;

/// <summary>
/// SIGKILL the gateway process while clients send and the relay delivers, then start it again: every message a
/// client saw 250 for is stored and reaches the next hop; nothing refused or cut short is delivered; duplicates
/// at the next hop are counted and are no more than the deliveries that were in flight at each kill.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private string _database = null!;
    private DownstreamSmtpServer _downstream = null!;
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.NewDatabaseAsync();
        // A slow DATA reply keeps deliveries in flight, so kills land in the middle of some.
        _downstream = new DownstreamSmtpServer(new DownstreamScript { DataReplyDelay = TimeSpan.FromMilliseconds(30) });
        // Small batches: a claim's lease is never renewed, so a batch that takes longer than the lease to deliver
        // is claimed again by another loop and delivered twice, crash or not (reported; the relay owns it).
        _gateway = await GatewayProcess.StartAsync(_database, _downstream.Port, new Dictionary<string, string>
        {
            ["Gateway__Relay__BatchSize"] = "5",
            ["Gateway__Relay__LeaseDuration"] = "00:00:10",
        });
    }

    [Fact]
    public async Task Gateway_KilledWhileSendingAndRelaying_AcceptedMailDeliveredAndNothingElse()
    {
        var kills = FaultScale.Pick(2, 6);
        var perRound = FaultScale.Pick(60, 300);
        var load = new MailLoad(() => _gateway.SmtpPort);
        load.Start(clients: FaultScale.Pick(6, 16));

        var inFlightAtKills = 0;
        for (var round = 1; round <= kills; round++)
        {
            await load.WaitForAcceptedAsync(load.AcceptedCount + perRound, TimeSpan.FromSeconds(120));
            await WaitForRelayAsync();
            await _gateway.KillAsync();

            // Delivered at the next hop but not recorded as delivered: these may be delivered again.
            await Task.Delay(200);
            var arrived = SinkTally.Of(_downstream).Counts.Count;
            var recorded = (await FaultDatabase.RecipientStatesAsync(_database)).GetValueOrDefault("Delivered");
            inFlightAtKills += (int)Math.Max(0, arrived - recorded);
            output.WriteLine($"kill {round}: {load.AcceptedCount} accepted, {arrived} arrived, {recorded} recorded");

            await _gateway.StartAgainAsync();
        }

        await load.WaitForAcceptedAsync(load.AcceptedCount + perRound / 2, TimeSpan.FromSeconds(120));
        await load.StopAsync();

        var records = load.Records;
        var accepted = records.Where(r => r.Outcome == SendOutcome.Accepted).ToList();
        var stored = await FaultDatabase.StoredAsync(_database, accepted.Select(r => r.QueueId!));
        Assert.All(accepted, r => Assert.Contains(r.QueueId!, stored));

        var tally = await SinkTally.WaitForAsync(
            _downstream, accepted.Select(r => r.Tag).ToList(), TimeSpan.FromSeconds(90));
        Assert.All(accepted, r => Assert.True(tally.Counts.ContainsKey(r.Tag), $"{r.Tag} never arrived"));

        var notOwned = records.Where(r => r.Outcome is SendOutcome.Refused or SendOutcome.CutBeforeEnd).ToList();
        Assert.All(notOwned, r => Assert.False(tally.Counts.ContainsKey(r.Tag), $"{r.Tag} ({r.Outcome}) arrived"));

        var inDoubt = records.Count(r => r.Outcome == SendOutcome.InDoubt);
        output.WriteLine($"{accepted.Count} accepted, {notOwned.Count} refused or cut, {inDoubt} in doubt; " +
                         $"{tally.Duplicates} duplicate(s), {inFlightAtKills} in flight at the kills");
        Assert.True(tally.Duplicates <= inFlightAtKills,
            $"{tally.Duplicates} duplicates but only {inFlightAtKills} deliveries were in flight at the kills");
    }

    private async Task WaitForRelayAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var before = _downstream.Messages.Count;
        while (_downstream.Messages.Count <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
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
