using System.Net;
using Gateway.Smtp.Relay;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

[Collection("postgres")]
public sealed class RelayRoutingTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Relay_ByMx_SkipsUnreachableBestMxAndDeliversToNext()
    {
        var port = FreePort.Next();
        await using var mx2 = new ScriptedDownstream(IPAddress.Parse("127.0.0.3"), port);
        await using var dns = new DnsResponder()
            .Mx("dest.test", 10, "mx1.dest.test").Mx("dest.test", 20, "mx2.dest.test")
            .Address("mx1.dest.test", IPAddress.Parse("127.0.0.2"))
            .Address("mx2.dest.test", IPAddress.Parse("127.0.0.3"));
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.DnsServers = [dns.Server];
            o.MxPort = port;
        }));
        await relay.WaitForAsync(id, r => r.State == "Delivered");

        Assert.Single(await mx2.WaitForAsync(1, Wait));
        Assert.Equal($"mx2.dest.test[127.0.0.3]:{port}", Assert.Single(await relay.AttemptsAsync(id)).NextHop);
        Assert.Contains("dest.test 15", dns.Questions);
    }

    [Fact]
    public async Task Relay_NullMxDomain_FailsAtOnceAndBounces()
    {
        await using var senders = new LibraryDownstream();
        await using var dns = new DnsResponder().NullMx("nomail.test");
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@nomail.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.DnsServers = [dns.Server];
            o.Routes["origin.test"] = new RouteOptions { Smarthost = senders.Endpoint, Tls = TlsMode.None };
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Failed");

        Assert.Equal((1, 556, "5.1.10"), (rows[0].AttemptCount, rows[0].ReplyCode, rows[0].EnhancedCode));
        var report = DsnAssert.Parse(Assert.Single(await senders.WaitForAsync(1, Wait)).Data);
        DsnAssert.Recipient(report, "rcpt@nomail.test", "failed", "5.1.10");
    }

    [Fact]
    public async Task Relay_DomainWithoutMx_DeliversToItsAddress()
    {
        var port = FreePort.Next();
        await using var host = new ScriptedDownstream(IPAddress.Parse("127.0.0.4"), port);
        await using var dns = new DnsResponder().Exists("bare.test").Address("bare.test", IPAddress.Parse("127.0.0.4"));
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@bare.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.DnsServers = [dns.Server];
            o.MxPort = port;
        }));
        await relay.WaitForAsync(id, r => r.State == "Delivered");

        Assert.Single(await host.WaitForAsync(1, Wait));
    }

    [Fact]
    public async Task Relay_PerDestinationLimitOfOne_NeverOpensTwoConnections()
    {
        await using var downstream = new ScriptedDownstream { ReplyDelay = TimeSpan.FromMilliseconds(30) };
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await relay.EnqueueAsync("sender@origin.test", [$"r{i}@dest.test"]));
        }

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = downstream.Endpoint;
            o.Concurrency = 4;
            o.BatchSize = 1;
            o.MaxConnectionsPerDestination = 1;
        }));
        foreach (var id in ids)
        {
            await relay.WaitForAsync(id, r => r.State == "Delivered");
        }

        Assert.Equal(6, downstream.Messages.Count);
        Assert.Equal(1, downstream.MaxConcurrentSessions);
    }

    // Mail that arrives after a batch went out takes the connection kept from it: one connection, checked with
    // RSET before it is used again.
    [Fact]
    public async Task Relay_MailAfterABatch_GoesOutOnTheKeptConnection()
    {
        await using var downstream = new ScriptedDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = downstream.Endpoint));

        var first = await relay.EnqueueAsync("sender@origin.test", ["first@dest.test"]);
        await relay.WaitForAsync(first, r => r.State == "Delivered");
        var second = await relay.EnqueueAsync("sender@origin.test", ["second@dest.test"]);
        await relay.WaitForAsync(second, r => r.State == "Delivered");

        Assert.Equal(2, downstream.Messages.Count);
        Assert.Equal(1, downstream.Connections);
        Assert.Contains("RSET", downstream.Commands);
    }

    // A kept connection the next hop closed meanwhile (its own idle timeout) is found dead by RSET and replaced:
    // the message goes out on a new connection at the first attempt, with no deferral.
    [Fact]
    public async Task Relay_KeptConnectionClosedByTheNextHop_NewConnectionAndNoDeferral()
    {
        await using var downstream = new ScriptedDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = downstream.Endpoint));
        var first = await relay.EnqueueAsync("sender@origin.test", ["first@dest.test"]);
        await relay.WaitForAsync(first, r => r.State == "Delivered");

        downstream.DropConnections();
        var second = await relay.EnqueueAsync("sender@origin.test", ["second@dest.test"]);
        await relay.WaitForAsync(second, r => r.State == "Delivered");

        Assert.Equal(2, downstream.Connections);
        Assert.Equal([(250, "Delivered")], (await relay.AttemptsAsync(second)).Select(a => (a.ReplyCode ?? 0, a.Outcome)));
    }

    // Kept connections are closed politely once idle for ConnectionIdleTimeout.
    [Fact]
    public async Task Relay_KeptConnection_QuitAfterTheIdleTimeout()
    {
        await using var downstream = new ScriptedDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = downstream.Endpoint;
            o.ConnectionIdleTimeout = TimeSpan.FromMilliseconds(300);
        }));
        var id = await relay.EnqueueAsync("sender@origin.test", ["idle@dest.test"]);
        await relay.WaitForAsync(id, r => r.State == "Delivered");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!downstream.Commands.Contains("QUIT") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("QUIT", downstream.Commands);
    }

    [Fact]
    public async Task Relay_TwoWorkersSharingTheQueue_DeliverEachRecipientOnce()
    {
        await using var downstream = new DownstreamSmtpServer();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        for (var i = 0; i < 40; i++)
        {
            await relay.EnqueueAsync("sender@origin.test", [$"a{i}@dest.test", $"b{i}@other.test"]);
        }

        var options = RelayHarness.FastOptions(o =>
        {
            o.Smarthost = $"127.0.0.1:{downstream.Port}";
            o.Concurrency = 3;
            o.BatchSize = 4;
            o.MaxConnectionsPerDestination = 6;
        });
        var first = await relay.StartWorkerAsync(options);
        var second = await relay.StartWorkerAsync(options);
        await relay.WaitForCountAsync("SELECT count(*) FROM recipients WHERE state = 'Delivered'", 80, Wait);

        var delivered = downstream.Messages.SelectMany(m => m.Recipients).ToList();
        Assert.Equal(80, delivered.Count);
        Assert.Equal(80, delivered.Distinct().Count());
        Assert.Equal(80, await relay.ScalarAsync("SELECT count(*) FROM recipients WHERE state = 'Delivered'"));
        Assert.Equal(80, await relay.ScalarAsync("SELECT count(*) FROM delivery_attempts"));
        Assert.NotEqual(first.WorkerId, second.WorkerId);
    }

    [Fact]
    public async Task Relay_BatchOutlastsItsLease_RenewsAndNoOtherWorkerSendsAgain()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            ReplyDelay = TimeSpan.FromMilliseconds(80),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await relay.EnqueueAsync("sender@origin.test", [$"r{i}@dest.test"]));
        }

        // Ten messages at about 0.5 s each take over two leases' time; a worker that did not renew would see the
        // other worker claim and send its remaining recipients.
        var options = RelayHarness.FastOptions(o =>
        {
            o.Smarthost = $"127.0.0.1:{downstream.Port}";
            o.Concurrency = 1;
            o.BatchSize = 10;
            o.LeaseDuration = TimeSpan.FromSeconds(2);
        });
        await relay.StartWorkerAsync(options);
        await Task.Delay(200);
        await relay.StartWorkerAsync(options);
        foreach (var id in ids)
        {
            await relay.WaitForAsync(id, r => r.State == "Delivered");
        }

        var delivered = downstream.Messages.SelectMany(m => m.Recipients).ToList();
        Assert.Equal(10, delivered.Count);
        Assert.Equal(10, delivered.Distinct().Count());
    }
}
