using System.Net;
using Gateway.Smtp.Relay;
using Gateway.Smtp.Relay.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Relay;

public sealed class NextHopRouterTests : IAsyncLifetime
{
    private readonly DnsResponder _dns = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private NextHopRouter Router(Action<RelayOptions>? configure = null)
    {
        var options = new RelayOptions
        {
            DnsServers = [_dns.Server],
            DnsTimeout = TimeSpan.FromSeconds(2),
            MxPort = 2525,
        };
        configure?.Invoke(options);
        return new NextHopRouter(Options.Create(options), new MxResolver(Options.Create(options)));
    }

    [Fact]
    public async Task Route_MxRecords_HopsInPreferenceOrder()
    {
        _dns.Mx("example.test", 20, "mx2.example.test").Mx("example.test", 10, "mx1.example.test")
            .Address("mx1.example.test", IPAddress.Parse("127.0.0.2"))
            .Address("mx2.example.test", IPAddress.Parse("127.0.0.3"))
            .Exists("mx1.example.test").Exists("mx2.example.test");

        var destination = await Router().RouteAsync("example.test", CancellationToken.None);

        Assert.Null(destination.Failure);
        Assert.Equal("mx:example.test", destination.Key);
        Assert.Equal(["mx1.example.test[127.0.0.2]:2525", "mx2.example.test[127.0.0.3]:2525"],
            destination.Hops.Select(h => h.ToString()));
    }

    [Fact]
    public async Task Route_NoMx_FallsBackToDomainAddress()
    {
        _dns.Exists("plain.test").Address("plain.test", IPAddress.Parse("127.0.0.4"));

        var destination = await Router().RouteAsync("plain.test", CancellationToken.None);

        Assert.Null(destination.Failure);
        Assert.Equal(["plain.test[127.0.0.4]:2525"], destination.Hops.Select(h => h.ToString()));
    }

    [Fact]
    public async Task Route_NullMx_FailsWith556WithoutAddressLookup()
    {
        _dns.NullMx("nomail.test").Address("nomail.test", IPAddress.Parse("127.0.0.5"));

        var destination = await Router().RouteAsync("nomail.test", CancellationToken.None);

        // RFC 7505 §4.2: no fallback to the A record; the mail fails at once with 556 5.1.10.
        Assert.Empty(destination.Hops);
        Assert.Equal(556, destination.Failure!.Code);
        Assert.Equal("5.1.10", destination.Failure.EnhancedCode);
        Assert.DoesNotContain("nomail.test 1", _dns.Questions);
    }

    [Fact]
    public async Task Route_NonexistentDomain_FailsPermanently()
    {
        var destination = await Router().RouteAsync("nowhere.test", CancellationToken.None);

        Assert.Equal(550, destination.Failure!.Code);
        Assert.Equal("5.1.2", destination.Failure.EnhancedCode);
    }

    [Fact]
    public async Task Route_DnsServerSilent_DefersWith451()
    {
        var silent = new UdpSink();
        var router = Router(o =>
        {
            o.DnsServers = [$"127.0.0.1:{silent.Port}"];
            o.DnsTimeout = TimeSpan.FromMilliseconds(300);
        });

        var destination = await router.RouteAsync("example.test", CancellationToken.None);
        silent.Dispose();

        Assert.Equal(451, destination.Failure!.Code);
        Assert.Equal("4.4.3", destination.Failure.EnhancedCode);
    }

    [Fact]
    public async Task Route_DnsPortClosed_DefersWith451()
    {
        var router = Router(o => o.DnsServers = ["127.0.0.1:9"]);

        var destination = await router.RouteAsync("example.test", CancellationToken.None);

        Assert.Equal(451, destination.Failure!.Code);
    }

    [Fact]
    public async Task Route_UnicodeDomain_LooksUpALabel()
    {
        _dns.Exists("xn--bcher-kva.test").Address("xn--bcher-kva.test", IPAddress.Parse("127.0.0.6"));

        var destination = await Router().RouteAsync("Bücher.test", CancellationToken.None);

        Assert.Contains("xn--bcher-kva.test 15", _dns.Questions);
        Assert.Equal("mx:xn--bcher-kva.test", destination.Key);
        Assert.Equal(["xn--bcher-kva.test[127.0.0.6]:2525"], destination.Hops.Select(h => h.ToString()));
    }

    [Fact]
    public async Task Route_DomainRouteInUnicode_MatchesALabelRecipient()
    {
        var router = Router(o =>
        {
            o.Smarthost = "default.test:2600";
            o.Routes["bücher.test"] = new RouteOptions
            {
                Smarthost = "books-relay.test:2601",
                Tls = TlsMode.Required,
                CertificateValidation = CertificateValidation.None,
                Username = "books",
            };
        });

        var routed = await router.RouteAsync("xn--bcher-kva.test", CancellationToken.None);
        var other = await router.RouteAsync("other.test", CancellationToken.None);

        var hop = Assert.Single(routed.Hops);
        Assert.Equal(("books-relay.test", 2601, TlsMode.Required, "books"),
            (hop.Host, hop.Port, hop.Tls, hop.Username));
        Assert.Equal("default.test:2600", Assert.Single(other.Hops).ToString());
        Assert.Empty(_dns.Questions);
    }

    /// <summary>A bound UDP socket that never answers: a DNS server that has gone quiet.</summary>
    private sealed class UdpSink : IDisposable
    {
        private readonly System.Net.Sockets.UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));

        public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

        public void Dispose() => _udp.Dispose();
    }
}
