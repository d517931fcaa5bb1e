using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.IO;
using Npgsql;

namespace Gateway.Tests.Infrastructure;

[Collection("postgres")]
public sealed class InfrastructureTests(PostgresFixture postgres)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PostgresServer_NewDatabase_QueryReturnsOne()
    {
        var connectionString = await postgres.NewDatabaseAsync();

        var result = await QueryOneAsync(connectionString);

        Assert.Equal(1, result);
    }

    [Fact]
    public async Task PostgresServer_StopThenStartAgain_ServesSameDatabaseAgain()
    {
        var server = postgres.Server;
        if (server.IsExternal)
        {
            return;
        }

        var connectionString = await postgres.NewDatabaseAsync();

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryOneAsync(connectionString));
        await server.StartAgainAsync();

        Assert.Equal(1, await QueryOneAsync(connectionString));
    }

    [Fact]
    public async Task DownstreamSmtpServer_MailKitSend_ReceivesExactBytes()
    {
        await using var downstream = new DownstreamSmtpServer();
        var message = CreateMessage("Exact bytes");
        var expected = ToDosBytes(message);

        using (var client = await ConnectAsync(downstream))
        {
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var received = Assert.Single(await downstream.WaitForMessagesAsync(1, WaitTimeout));
        Assert.Equal("sender@example.test", received.ReversePath);
        Assert.Equal(["first@example.test", "second@example.test"], received.Recipients);
        Assert.Equal(expected, received.Content);
        Assert.Contains("\r\n.leading dot\r\n", received.ContentText, StringComparison.Ordinal);
        Assert.Equal(1, downstream.ConnectionCount);
    }

    [Fact]
    public async Task DownstreamSmtpServer_Data451Then250_MailKitSeesFailureThenSuccess()
    {
        await using var downstream = new DownstreamSmtpServer();
        downstream.Script.EnqueueDataReplies(DownstreamReply.TemporaryFailure);
        using var client = await ConnectAsync(downstream);

        var failure = await Assert.ThrowsAsync<SmtpCommandException>(
            () => client.SendAsync(CreateMessage("First try")));
        Assert.Empty(downstream.Messages);
        await client.SendAsync(CreateMessage("Second try"));
        await client.DisconnectAsync(quit: true);

        Assert.Equal(451, (int)failure.StatusCode);
        var received = Assert.Single(await downstream.WaitForMessagesAsync(1, WaitTimeout));
        Assert.Contains("Subject: Second try", received.ContentText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownstreamSmtpServer_PipelinedTranscriptWithLeadingDot_UnstuffsDot()
    {
        await using var downstream = new DownstreamSmtpServer();
        using var socket = await ConnectRawAsync(downstream);
        var reader = new ReplyReader(socket);

        Assert.StartsWith("220 ", await reader.ReadReplyAsync(), StringComparison.Ordinal);
        await SendAsync(socket, "EHLO relay.test\r\n");
        var ehlo = await reader.ReadReplyAsync();
        await SendAsync(socket, "MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        var mail = await reader.ReadReplyAsync();
        var rcpt = await reader.ReadReplyAsync();
        var data = await reader.ReadReplyAsync();
        await SendAsync(socket, "Subject: dots\r\n\r\n..hidden line\r\n...\r\nend\r\n.\r\nQUIT\r\n");
        var queued = await reader.ReadReplyAsync();
        var bye = await reader.ReadReplyAsync();

        Assert.Contains("250-PIPELINING", ehlo, StringComparison.Ordinal);
        Assert.Contains("250 ENHANCEDSTATUSCODES", ehlo, StringComparison.Ordinal);
        Assert.DoesNotContain("SMTPUTF8", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("250 ", mail, StringComparison.Ordinal);
        Assert.StartsWith("250 ", rcpt, StringComparison.Ordinal);
        Assert.StartsWith("354 ", data, StringComparison.Ordinal);
        Assert.StartsWith("250 ", queued, StringComparison.Ordinal);
        Assert.StartsWith("221 ", bye, StringComparison.Ordinal);
        var received = Assert.Single(await downstream.WaitForMessagesAsync(1, WaitTimeout));
        Assert.Equal("Subject: dots\r\n\r\n.hidden line\r\n..\r\nend\r\n", received.ContentText);
    }

    [Fact]
    public async Task DownstreamSmtpServer_ExtensionsScripted_AdvertisedAndTheirParametersEnforced()
    {
        await using var plain = new DownstreamSmtpServer(new DownstreamScript { Advertise8BitMime = false });
        await using var dsn = new DownstreamSmtpServer(new DownstreamScript { AdvertiseDsn = true });

        var plainReplies = await ConverseAsync(plain,
            "MAIL FROM:<a@example.test> BODY=8BITMIME",
            "MAIL FROM:<a@example.test> RET=HDRS",
            "MAIL FROM:<a@example.test>",
            "RCPT TO:<b@example.test> NOTIFY=NEVER");
        var dsnReplies = await ConverseAsync(dsn, "MAIL FROM:<a@example.test> BODY=8BITMIME RET=HDRS ENVID=x",
            "RCPT TO:<b@example.test> NOTIFY=SUCCESS ORCPT=rfc822;b@example.test");

        Assert.DoesNotContain("8BITMIME", plainReplies[0], StringComparison.Ordinal);
        Assert.DoesNotContain("DSN", plainReplies[0], StringComparison.Ordinal);
        Assert.Equal(["555", "555", "250", "555"], plainReplies.Skip(1).Select(r => r[..3]));
        Assert.Contains("250-8BITMIME", dsnReplies[0], StringComparison.Ordinal);
        Assert.Contains("DSN", dsnReplies[0], StringComparison.Ordinal);
        Assert.Equal(["250", "250"], dsnReplies.Skip(1).Select(r => r[..3]));
    }

    // EHLO, then each command in turn; returns the EHLO reply followed by one reply per command.
    private static async Task<List<string>> ConverseAsync(DownstreamSmtpServer server, params string[] commands)
    {
        using var socket = await ConnectRawAsync(server);
        var reader = new ReplyReader(socket);
        await reader.ReadReplyAsync();
        await SendAsync(socket, "EHLO relay.test\r\n");
        var replies = new List<string> { await reader.ReadReplyAsync() };
        foreach (var command in commands)
        {
            await SendAsync(socket, command + "\r\n");
            replies.Add(await reader.ReadReplyAsync());
        }

        return replies;
    }

    [Fact]
    public async Task DownstreamSmtpServer_RecipientScripted550_OnlyAcceptedRecipientRecorded()
    {
        await using var downstream = new DownstreamSmtpServer();
        downstream.Script.RecipientHandler = address =>
            address.StartsWith("nobody@", StringComparison.Ordinal) ? DownstreamReply.UserUnknown : null;
        using var socket = await ConnectRawAsync(downstream);
        var reader = new ReplyReader(socket);
        await reader.ReadReplyAsync();

        await SendAsync(
            socket,
            "HELO relay.test\r\nMAIL FROM:<>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<ok@example.test>\r\n"
            + "DATA\r\n");
        string[] replies =
        [
            await reader.ReadReplyAsync(), await reader.ReadReplyAsync(), await reader.ReadReplyAsync(),
            await reader.ReadReplyAsync(), await reader.ReadReplyAsync(),
        ];
        await SendAsync(socket, "x\r\n.\r\n");
        var queued = await reader.ReadReplyAsync();

        Assert.Equal(["250", "250", "550", "250", "354"], replies.Select(r => r[..3]));
        Assert.StartsWith("250 2.0.0", queued, StringComparison.Ordinal);
        var received = Assert.Single(await downstream.WaitForMessagesAsync(1, WaitTimeout));
        Assert.Equal(string.Empty, received.ReversePath);
        Assert.Equal(["ok@example.test"], received.Recipients);
        Assert.Equal("x\r\n"u8.ToArray(), received.Content);
    }

    [Fact]
    public async Task DownstreamSmtpServer_Data421_RepliesThenClosesConnection()
    {
        await using var downstream = new DownstreamSmtpServer();
        downstream.Script.DataHandler = _ => DownstreamReply.ServiceUnavailable;
        using var socket = await ConnectRawAsync(downstream);
        var reader = new ReplyReader(socket);
        await reader.ReadReplyAsync();

        await SendAsync(
            socket, "EHLO relay.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        for (var i = 0; i < 4; i++)
        {
            await reader.ReadReplyAsync();
        }

        await SendAsync(socket, "x\r\n.\r\n");
        var reply = await reader.ReadReplyAsync();
        var closedRead = await socket.ReceiveAsync(new byte[16]);

        Assert.StartsWith("421 4.3.2", reply, StringComparison.Ordinal);
        Assert.Equal(0, closedRead);
        Assert.Empty(downstream.Messages);
    }

    [Fact]
    public async Task DownstreamSmtpServer_StopThenStart_RefusesThenAcceptsOnSamePort()
    {
        await using var downstream = new DownstreamSmtpServer();
        using var before = await ConnectRawAsync(downstream);
        await new ReplyReader(before).ReadReplyAsync();
        var port = downstream.Port;

        downstream.Stop();
        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectRawAsync(downstream));
        var closedRead = await before.ReceiveAsync(new byte[16]);
        downstream.Start();
        using var after = await ConnectRawAsync(downstream);
        var greeting = await new ReplyReader(after).ReadReplyAsync();

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, closedRead);
        Assert.Equal(port, downstream.Port);
        Assert.StartsWith("220 ", greeting, StringComparison.Ordinal);
        Assert.Equal(2, downstream.ConnectionCount);
    }

    [Fact]
    public async Task DownstreamSmtpServer_SlowReplies_WaitTimesOutWithoutMessages()
    {
        await using var downstream = new DownstreamSmtpServer();
        downstream.Script.ReplyDelay = TimeSpan.FromMilliseconds(300);
        var started = Stopwatch.StartNew();
        using var socket = await ConnectRawAsync(downstream);

        var greeting = await new ReplyReader(socket).ReadReplyAsync();
        var elapsed = started.Elapsed;

        Assert.StartsWith("220 ", greeting, StringComparison.Ordinal);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(250), $"Greeting came after {elapsed}.");
        await Assert.ThrowsAsync<TimeoutException>(
            () => downstream.WaitForMessagesAsync(1, TimeSpan.FromMilliseconds(50)));
    }

    private static async Task<int> QueryOneAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static MimeMessage CreateMessage(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.test"));
        message.To.Add(MailboxAddress.Parse("first@example.test"));
        message.Cc.Add(MailboxAddress.Parse("second@example.test"));
        message.Subject = subject;
        message.MessageId = "infra-test@example.test";
        message.Date = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = "Hello downstream.\n.leading dot\nBye.\n" };
        return message;
    }

    private static byte[] ToDosBytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var memory = new MemoryBlockStream();
        message.WriteTo(options, memory);
        return memory.ToArray();
    }

    private static async Task<SmtpClient> ConnectAsync(DownstreamSmtpServer downstream)
    {
        var client = new SmtpClient { Timeout = 10_000 };
        await client.ConnectAsync("127.0.0.1", downstream.Port, SecureSocketOptions.None);
        return client;
    }

    private static async Task<Socket> ConnectRawAsync(DownstreamSmtpServer downstream)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(WaitTimeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, downstream.Port), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(Socket socket, string text)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(text));
    }
}
