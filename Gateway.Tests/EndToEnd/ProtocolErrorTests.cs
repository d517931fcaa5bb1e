using Gateway.Tests.Hosting;
using Npgsql;

namespace Gateway.Tests.EndToEnd;

/// <summary>Bad input gets the right reply code over a real socket, and nothing is stored.</summary>
public sealed class ProtocolErrorTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.NewDatabaseAsync();
        _gateway = GatewayHost.Start(_database, new Dictionary<string, string?>
        {
            ["Gateway:Smtp:MaxMessageSize"] = "1000",
            ["Gateway:Smtp:MaxRecipients"] = "2",
        });
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.com>", "503 5.5.1")]
    [InlineData("RCPT TO:<a@example.com>", "503 5.5.1")]
    [InlineData("DATA", "503 5.5.1")]
    [InlineData("XYZZY", "500 5.5.2")]
    [InlineData("EHLO", "501 5.5.4")]
    [InlineData("VRFY postmaster", "252 2.5.0")]
    [InlineData("NOOP", "250 2.0.0")]
    public async Task Command_BeforeGreeting_GetsCode(string command, string expected)
    {
        await using var smtp = await ConnectAsync();

        var reply = await smtp.CommandAsync(command);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RCPT TO:<b@example.net>", "503 5.5.1")]
    [InlineData("DATA", "503 5.5.1")]
    [InlineData("MAIL FROM:<broken", "501 5.1.7")]
    [InlineData("MAIL FROM:a@example.com", "501 5.1.7")]
    [InlineData("MAIL TO:<a@example.com>", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=1001", "552 5.3.4")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=big", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@example.com> BODY=BINARYMIME", "555 5.5.4")]
    [InlineData("MAIL FROM:<a@example.com> FROBNICATE=1", "555 5.5.4")]
    [InlineData("MAIL FROM:<\u00e4@example.com>", "553 5.6.7")]
    public async Task Command_AfterEhlo_GetsCode(string command, string expected)
    {
        await using var smtp = await GreetedAsync();

        var reply = await smtp.CommandAsync(command);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ehlo_Advertises_TheSkeletonExtensions()
    {
        await using var smtp = await ConnectAsync();

        var reply = await smtp.CommandAsync("EHLO client.test");

        Assert.StartsWith("250-gateway.test Hello client.test", reply, StringComparison.Ordinal);
        Assert.Contains("250-PIPELINING", reply, StringComparison.Ordinal);
        Assert.Contains("SIZE 1000", reply, StringComparison.Ordinal);
        Assert.Contains("8BITMIME", reply, StringComparison.Ordinal);
        Assert.Contains("ENHANCEDSTATUSCODES", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_PastRecipientLimit_Replies452()
    {
        await using var smtp = await GreetedAsync();
        await smtp.CommandAsync("MAIL FROM:<a@example.com>");

        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<one@example.net>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("RCPT TO:<two@example.net>"), StringComparison.Ordinal);
        Assert.StartsWith("452 4.5.3", await smtp.CommandAsync("RCPT TO:<three@example.net>"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_OverSizeLimit_Replies552AndStoresNothing()
    {
        await using var smtp = await GreetedAsync();
        await smtp.CommandAsync("MAIL FROM:<a@example.com>");
        await smtp.CommandAsync("RCPT TO:<big@example.net>");
        await smtp.CommandAsync("DATA");

        await smtp.SendAsync("Subject: big\r\n\r\n" + new string('x', 2000) + "\r\n.\r\n");

        Assert.StartsWith("552 5.3.4", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("NOOP"), StringComparison.Ordinal);
        Assert.Equal(0, await CountMessagesAsync());
    }

    [Fact]
    public async Task Data_WithBareLf_Replies554AndStoresNothing()
    {
        await using var smtp = await GreetedAsync();
        await smtp.CommandAsync("MAIL FROM:<a@example.com>");
        await smtp.CommandAsync("RCPT TO:<bare@example.net>");
        await smtp.CommandAsync("DATA");

        await smtp.SendAsync("Subject: x\r\n\r\nline\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n");

        Assert.StartsWith("554 5.6.0", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountMessagesAsync());
    }

    [Fact]
    public async Task Connection_DroppedMidData_StoresNothing()
    {
        await using (var smtp = await GreetedAsync())
        {
            await smtp.CommandAsync("MAIL FROM:<a@example.com>");
            await smtp.CommandAsync("RCPT TO:<dropped@example.net>");
            await smtp.CommandAsync("DATA");
            await smtp.SendAsync("Subject: half\r\n\r\nhalf a message\r\n");
        }

        // A complete message on another connection proves the listener is alive and lets us wait for the store.
        await using var other = await GreetedAsync();
        await other.CommandAsync("MAIL FROM:<a@example.com>");
        await other.CommandAsync("RCPT TO:<whole@example.net>");
        await other.CommandAsync("DATA");
        await other.SendAsync("Subject: whole\r\n\r\nwhole\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await other.ReadReplyAsync(), StringComparison.Ordinal);

        Assert.Equal(1, await CountMessagesAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM recipients WHERE address = 'dropped@example.net'"));
    }

    [Fact]
    public async Task Pipelined_Transaction_RepliesInOrder()
    {
        await using var smtp = await GreetedAsync();

        await smtp.SendAsync("MAIL FROM:<a@example.com>\r\nRCPT TO:<p1@example.net>\r\nRCPT TO:<p2@example.net>\r\nDATA\r\n");

        Assert.StartsWith("250 2.1.0", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("354", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        await smtp.SendAsync("Subject: p\r\n\r\n.\r\nRSET\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("221", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
    }

    private async Task<RawSmtpConnection> ConnectAsync()
    {
        var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        Assert.StartsWith("220 gateway.test", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        return smtp;
    }

    private async Task<RawSmtpConnection> GreetedAsync()
    {
        var smtp = await ConnectAsync();
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        return smtp;
    }

    private Task<long> CountMessagesAsync() => CountAsync("SELECT count(*) FROM messages");

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();
}
