using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Faults;

/// <summary>
/// Thousands of misbehaving connections alongside normal traffic: the normal clients keep getting 250s, the
/// gateway's memory stays bounded, and nothing from a dropped DATA is stored.
/// </summary>
public sealed class HostileLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long MemoryHeadroomMegabytes = 300;

    private string _database = null!;
    private DownstreamSmtpServer _downstream = null!;
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.NewDatabaseAsync();
        _downstream = new DownstreamSmtpServer();
        // The connection limits are raised so that the hostile connections are really held open: this test is
        // about memory and serving normal clients with thousands open, not about the limits (tested in Smtp).
        _gateway = await GatewayProcess.StartAsync(_database, _downstream.Port, new Dictionary<string, string>
        {
            ["Gateway__Smtp__MaxConnections"] = "20000",
            ["Gateway__Smtp__MaxConnectionsPerClient"] = "20000",
        });
    }

    [Fact]
    public async Task HostileConnections_AlongsideNormalTraffic_NormalServedMemoryBoundedNothingStored()
    {
        var warmUp = new MailLoad(() => _gateway.SmtpPort);
        warmUp.Start(clients: 4);
        await warmUp.WaitForAcceptedAsync(20, TimeSpan.FromSeconds(60));
        await warmUp.StopAsync();
        var baseline = _gateway.ResidentMegabytes();
        _gateway.ResetPeak();

        var drippers = FaultScale.Pick(200, 1000);
        var stalled = OpenFileBudget.Fit(FaultScale.Pick(1500, 5000), alsoOpen: drippers);
        output.WriteLine($"open-file soft limit {OpenFileBudget.SoftLimit}: {stalled} stalled connections");
        await using var hostile = new HostileClients(_gateway.SmtpPort);
        await hostile.StallAsync(stalled);
        hostile.Drip(drippers);
        hostile.DropMidData(FaultScale.Pick(4, 16));

        var load = new MailLoad(() => _gateway.SmtpPort);
        load.Start(clients: 4);
        await Task.Delay(FaultScale.Pick(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(120)));
        await load.StopAsync();
        var peak = _gateway.PeakResidentMegabytes();
        var held = hostile.HeldConnections;
        var drops = hostile.MidDataDrops;

        var records = load.Records;
        var accepted = records.Where(r => r.Outcome == SendOutcome.Accepted).ToList();
        output.WriteLine($"{held} stalled, {drops} dropped mid-DATA; normal: {accepted.Count} of {records.Count} " +
                         $"accepted; RSS {baseline} MB before, peak {peak} MB");
        Assert.True(held >= stalled * 9 / 10, $"only {held} of {stalled} stalled connections opened");
        Assert.True(drops > 0, "no client dropped a connection mid-DATA");
        Assert.True(accepted.Count >= 20, $"normal clients got only {accepted.Count} messages through");
        Assert.Equal(records.Count, accepted.Count);
        Assert.True(peak - baseline < MemoryHeadroomMegabytes, $"RSS grew from {baseline} MB to {peak} MB");

        // Only the normal messages (warm-up and load) were stored; no dropped DATA left a row.
        Assert.Equal(warmUp.AcceptedCount + accepted.Count, await FaultDatabase.CountAsync(_database, "messages"));
    }

    // Found by this test: an endless command line used to be read and discarded for as long as the client sent.
    [Fact]
    public async Task EndlessCommandLine_ClientKeepsSending_GatewayClosesTheConnection()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", _gateway.SmtpPort);
        var stream = client.GetStream();
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'A');
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var closed = false;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            closed = true;
        }

        Assert.True(closed, "the gateway still reads an endless command line after 10 s");
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
