using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Faults;

/// <summary>
/// Stop PostgreSQL while clients keep sending, then start it again: during the outage clients hear 4xx and never
/// 250; afterwards the same gateway process accepts again within seconds; everything acknowledged is delivered.
/// </summary>
public sealed class DatabaseOutageUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private string _database = null!;
    private DownstreamSmtpServer _downstream = null!;
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        // A server of its own, since this test stops it.
        _postgres = await PostgresServer.StartAsync();
        _database = await _postgres.CreateDatabaseAsync("outage_load");
        _downstream = new DownstreamSmtpServer();
        _gateway = await GatewayProcess.StartAsync(_database, _downstream.Port);
    }

    [Fact]
    public async Task Database_StoppedUnderLoad_Clients4xxThenRecoverWithoutRestartNothingLost()
    {
        var load = new MailLoad(() => _gateway.SmtpPort);
        load.Start(clients: FaultScale.Pick(6, 16));
        await load.WaitForAcceptedAsync(FaultScale.Pick(40, 200), TimeSpan.FromSeconds(120));

        await _postgres.StopAsync();
        var down = DateTime.UtcNow;
        await Task.Delay(FaultScale.Pick(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30)));
        var upAgain = DateTime.UtcNow;
        await _postgres.StartAgainAsync();

        var recoveryDeadline = DateTime.UtcNow.AddSeconds(30);
        while (!load.Records.Any(r => r.Outcome == SendOutcome.Accepted && r.EndedAt > upAgain))
        {
            Assert.True(DateTime.UtcNow < recoveryDeadline, "no 250 within 30 s of the database coming back");
            await Task.Delay(50);
        }

        var recovered = load.Records.Where(r => r.Outcome == SendOutcome.Accepted && r.EndedAt > upAgain)
            .Min(r => r.EndedAt);
        await Task.Delay(500);
        await load.StopAsync();

        var records = load.Records;
        // A reply that arrived a second after the server was down cannot be a 250: nothing could commit it.
        var duringOutage = records.Where(r => r.EndedAt > down.AddSeconds(1) && r.EndedAt < upAgain).ToList();
        Assert.DoesNotContain(duringOutage, r => r.Outcome == SendOutcome.Accepted);
        Assert.Contains(duringOutage, r => r.Reply is not null && r.Reply.StartsWith('4'));
        Assert.DoesNotContain(records, r => r.Reply is not null && r.Reply.StartsWith('5'));

        var accepted = records.Where(r => r.Outcome == SendOutcome.Accepted).ToList();
        var stored = await FaultDatabase.StoredAsync(_database, accepted.Select(r => r.QueueId!));
        Assert.All(accepted, r => Assert.Contains(r.QueueId!, stored));
        var tally = await SinkTally.WaitForAsync(
            _downstream, accepted.Select(r => r.Tag).ToList(), TimeSpan.FromSeconds(60));
        Assert.All(accepted, r => Assert.True(tally.Counts.ContainsKey(r.Tag), $"{r.Tag} never arrived"));

        output.WriteLine($"{accepted.Count} accepted, {duringOutage.Count} answered during the outage " +
                         $"(all 4xx), first 250 {(recovered - upAgain).TotalSeconds:0.0} s after the restart began");
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

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
