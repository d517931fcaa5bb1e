using System.Globalization;
using System.Text;
using Gateway.Tests.Hosting;
using Gateway.Tests.Smtp.Support;
using MailKit;
using MailKit.Security;
using MimeKit;
using Npgsql;

namespace Gateway.Tests.Smtp;

/// <summary>
/// The happy path of each extension, spoken by MailKit as a real client would, against the whole gateway: what
/// the envelope carried must be in PostgreSQL for the relay to honour.
/// </summary>
public sealed class SmtpMailKitTests : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            // Deliveries go nowhere: a loopback port nobody listens on.
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
        });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task MailKit_Utf8Addresses_SentWithSmtpUtf8AndFlagged()
    {
        var message = Message("δοκιμή@παράδειγμα.test", "用户@例子.test", "Grüße");

        var (id, transcript) = await SendAsync(message, new DsnSmtpClient());

        Assert.Contains("SMTPUTF8", transcript, StringComparison.Ordinal);
        var row = await QueryAsync(
            "SELECT m.smtp_utf8, m.reverse_path, r.address, c.data FROM messages m " +
            "JOIN recipients r ON r.message_id = m.id JOIN message_contents c ON c.message_id = m.id WHERE m.id = $1",
            id);
        Assert.Equal(true, row[0]);
        Assert.Equal("δοκιμή@παράδειγμα.test", row[1]);
        Assert.Equal("用户@例子.test", row[2]);

        // MailKit writes the local part raw in UTF-8 (and the domain as an A-label), as SMTPUTF8 permits.
        Assert.Contains("From: δοκιμή@", Encoding.UTF8.GetString((byte[])row[3]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKit_PreferringBdat_SendsChunksAndMessageIsStoredIntact()
    {
        var message = Message("sender@example.test", "rcpt@example.test", "chunked");
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("line of text\r\n", 20000)) };

        var (id, transcript) = await SendAsync(message, new DsnSmtpClient { UseBdat = true });

        Assert.Contains("BDAT ", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("C: DATA", transcript, StringComparison.Ordinal);
        var row = await QueryAsync("SELECT data FROM message_contents WHERE message_id = $1", id);
        Assert.EndsWith(Serialise(message), Encoding.UTF8.GetString((byte[])row[0]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKit_DsnParameters_StoredWithTheEnvelope()
    {
        var message = Message("sender@example.test", "rcpt@example.test", "dsn");
        var client = new DsnSmtpClient
        {
            Notify = DeliveryStatusNotification.Success | DeliveryStatusNotification.Failure,
            EnvelopeId = "env-42",
            DeliveryStatusNotificationType = MailKit.Net.Smtp.DeliveryStatusNotificationType.HeadersOnly,
        };

        var (id, transcript) = await SendAsync(message, client);

        Assert.Contains("RET=HDRS", transcript, StringComparison.Ordinal);
        var row = await QueryAsync(
            "SELECT m.dsn_return, m.dsn_envelope_id, r.dsn_notify, r.dsn_original_recipient FROM messages m " +
            "JOIN recipients r ON r.message_id = m.id WHERE m.id = $1",
            id);
        Assert.Equal(["HDRS", "env-42", "SUCCESS,FAILURE", "rfc822;rcpt@example.test"], row);
    }

    // MailKit re-encodes lines over 998 octets itself, so this one is sent raw.
    [Fact]
    public async Task RawClient_LineOver998Octets_AcceptedAndFlaggedInTheStore()
    {
        await using var client = await RawSmtpClient.ConnectAsync(_gateway.SmtpPort);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO raw.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        for (var i = 0; i < 4; i++)
        {
            await client.ReadReplyAsync();
        }

        await client.SendAsync($"Subject: long\r\n\r\n<p>{new string('w', 1200)}</p>\r\n.\r\n");
        var queued = await client.ReadReplyAsync();

        var row = await QueryAsync("SELECT has_long_lines FROM messages WHERE id = $1",
            Guid.ParseExact(queued.Lines[0].Split(' ')[^1], "N"));
        Assert.Equal(true, row[0]);
    }

    private static MimeMessage Message(string from, string to, string subject) => new()
    {
        From = { MailboxAddress.Parse(from) },
        To = { MailboxAddress.Parse(to) },
        Subject = subject,
        Body = new TextPart("plain") { Text = "Hello from MailKit\r\n" },
    };

    private async Task<(Guid Id, string Transcript)> SendAsync(MimeMessage message, DsnSmtpClient client)
    {
        string reply;
        using (client)
        {
            await client.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.None);
            reply = await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        return (Guid.ParseExact(reply.Split(' ')[^1], "N"), Encoding.UTF8.GetString(client.Transcript.ToArray()));
    }

    private async Task<object?[]> QueryAsync(string sql, Guid id)
    {
        await using var command = _gateway.GetService<NpgsqlDataSource>().CreateCommand(sql);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for {id}");
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return values;
    }

    // What MailKit puts on the wire for the message, before dot-stuffing (the stored bytes after our header).
    private static string Serialise(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
