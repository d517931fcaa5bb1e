using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Smtp.Support;

namespace Gateway.Tests.Smtp;

/// <summary>Listener behaviour beyond one transcript: EHLO keywords, early talkers, limits, shutdown.</summary>
public sealed class SmtpListenerTests
{
    [Fact]
    public async Task Ehlo_AfterGreeting_AdvertisesEveryImplementedExtension()
    {
        await using var server = await SmtpTestServer.StartAsync(o => o.MaxMessageSize = 12345);
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO client.test\r\n");
        var reply = await client.ReadReplyAsync();

        var keywords = reply.Lines.Skip(1).Select(l => l[4..]).ToList();
        Assert.Equal(
            ["PIPELINING", "SIZE 12345", "8BITMIME", "SMTPUTF8", "CHUNKING", "DSN", "ENHANCEDSTATUSCODES", "HELP"],
            keywords);
        Assert.DoesNotContain("BINARYMIME", keywords);
    }

    [Fact]
    public async Task EarlyTalker_SendsBeforeGreeting_Refused554AndClosed()
    {
        await using var server = await SmtpTestServer.StartAsync(UntrustedWithGreetingDelay);
        await using var client = await server.ConnectAsync();

        await client.SendAsync("EHLO hasty.test\r\n");
        var reply = await client.ReadReplyAsync();

        Assert.Equal((554, "5.5.0"), (reply.Code, reply.EnhancedCode));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task EarlyTalker_ClientThatWaits_IsGreeted()
    {
        await using var server = await SmtpTestServer.StartAsync(UntrustedWithGreetingDelay);
        await using var client = await server.ConnectAsync();
        var started = TimeProvider.System.GetTimestamp();

        var greeting = await client.ReadReplyAsync();

        Assert.Equal(220, greeting.Code);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Connections_OverPerClientLimit_Get421UntilOneCloses()
    {
        await using var server = await SmtpTestServer.StartAsync(o => o.MaxConnectionsPerClient = 2);
        var first = await GreetedClientAsync(server);
        await using var second = await GreetedClientAsync(server);

        await using (var third = await server.ConnectAsync())
        {
            var refusal = await third.ReadReplyAsync();
            Assert.Equal((421, "4.7.0"), (refusal.Code, refusal.EnhancedCode));
            Assert.Contains("your address", refusal.Text, StringComparison.Ordinal);
            Assert.True(await third.IsClosedAsync());
        }

        await first.SendAsync("QUIT\r\n");
        Assert.True(await first.IsClosedAsync());
        await first.DisposeAsync();
        await using var fourth = await EventuallyGreetedClientAsync(server);
    }

    [Fact]
    public async Task Connections_OverTotalLimit_Get421()
    {
        await using var server = await SmtpTestServer.StartAsync(o => o.MaxConnections = 1);
        await using var first = await GreetedClientAsync(server);

        await using var second = await server.ConnectAsync();
        var refusal = await second.ReadReplyAsync();

        Assert.Equal((421, "4.7.0"), (refusal.Code, refusal.EnhancedCode));
        Assert.True(await second.IsClosedAsync());
    }

    [Fact]
    public async Task Shutdown_DuringData_FinishesTransactionThen421AndStopsAccepting()
    {
        await using var server = await SmtpTestServer.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(10));
        await using var busy = await GreetedClientAsync(server);
        await using var idle = await GreetedClientAsync(server);
        await busy.SendAsync("EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
        for (var i = 0; i < 3; i++)
        {
            await busy.ReadReplyAsync();
        }

        await busy.SendAsync("DATA\r\n");
        Assert.Equal(354, (await busy.ReadReplyAsync()).Code);
        await busy.SendAsync("Subject: in flight\r\n");

        var stopping = server.StopAsync();

        // The idle session is told at once; the listener no longer accepts.
        var idleReply = await idle.ReadReplyAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((421, "4.3.2"), (idleReply.Code, idleReply.EnhancedCode));
        await AssertEventuallyRefusesConnectionsAsync(server.Port);

        // The busy session finishes its message, which is committed and acknowledged, then gets 421.
        await busy.SendAsync("\r\nbody\r\n.\r\n");
        var queued = await busy.ReadReplyAsync();
        Assert.Equal((250, "2.0.0"), (queued.Code, queued.EnhancedCode));
        var bye = await busy.ReadReplyAsync();
        Assert.Equal((421, "4.3.2"), (bye.Code, bye.EnhancedCode));
        await stopping;
        Assert.Equal("Subject: in flight\r\n\r\nbody\r\n", Assert.Single(server.Store.Messages).ClientContent);
    }

    [Fact]
    public async Task Shutdown_TransactionOutlastsGracePeriod_Gets421AndNothingStored()
    {
        await using var server = await SmtpTestServer.StartAsync(
            o => o.ShutdownGracePeriod = TimeSpan.FromMilliseconds(300));
        await using var slow = await GreetedClientAsync(server);
        await slow.SendAsync("EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
        for (var i = 0; i < 3; i++)
        {
            await slow.ReadReplyAsync();
        }

        await slow.SendAsync("DATA\r\n");
        await slow.ReadReplyAsync();
        await slow.SendAsync("Subject: never finished\r\n");

        var stopping = server.StopAsync();
        var reply = await slow.ReadReplyAsync(TimeSpan.FromSeconds(5));
        await stopping;

        Assert.Equal((421, "4.3.2"), (reply.Code, reply.EnhancedCode));
        Assert.Empty(server.Store.Messages);
    }

    private static void UntrustedWithGreetingDelay(Gateway.Smtp.SmtpOptions options)
    {
        options.TrustedNetworks = ["none"];
        options.GreetingDelay = TimeSpan.FromMilliseconds(300);
    }

    private static async Task<RawSmtpClient> GreetedClientAsync(SmtpTestServer server)
    {
        var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        return client;
    }

    // The server notices a closed connection asynchronously; retry until its slot is free again.
    private static async Task<RawSmtpClient> EventuallyGreetedClientAsync(SmtpTestServer server)
    {
        for (var attempt = 0; ; attempt++)
        {
            var client = await server.ConnectAsync();
            var reply = await client.ReadReplyAsync();
            if (reply.Code == 220)
            {
                return client;
            }

            await client.DisposeAsync();
            Assert.True(attempt < 50, $"still refused: {reply}");
            await Task.Delay(50);
        }
    }

    private static async Task AssertEventuallyRefusesConnectionsAsync(int port)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The listener still accepts connections during shutdown");
    }
}
