using System.Text;
using Gateway.Tests.Smtp.Support;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Smtp;

/// <summary>The happy path of each extension, spoken by MailKit as a real client would.</summary>
public sealed class SmtpMailKitTests
{
    [Fact]
    public async Task MailKit_Utf8Addresses_SentWithSmtpUtf8AndFlagged()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = Message("δοκιμή@παράδειγμα.test", "用户@例子.test", "Grüße");

        var transcript = await SendAsync(server, message, new DsnSmtpClient());

        Assert.Contains("SMTPUTF8", transcript, StringComparison.Ordinal);
        var stored = Assert.Single(server.Store.Messages);
        Assert.True(stored.Envelope.SmtpUtf8);
        Assert.Equal("δοκιμή@παράδειγμα.test", stored.Envelope.ReversePath);
        Assert.Equal("用户@例子.test", Assert.Single(stored.Envelope.Recipients));
        // MailKit writes the local part raw in UTF-8 (and the domain as an A-label), as SMTPUTF8 permits.
        Assert.Contains("From: δοκιμή@", stored.ClientContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKit_PreferringBdat_SendsChunksAndMessageIsStoredIntact()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = Message("sender@example.test", "rcpt@example.test", "chunked");
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat("line of text\r\n", 3000)) };

        var transcript = await SendAsync(server, message, new DsnSmtpClient()
        {
            UseBdat = true,
        });

        Assert.Contains("BDAT ", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("C: DATA", transcript, StringComparison.Ordinal);
        Assert.Equal(Serialise(message), Assert.Single(server.Store.Messages).ClientContent);
    }

    [Fact]
    public async Task MailKit_DsnParameters_StoredWithTheEnvelope()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = Message("sender@example.test", "rcpt@example.test", "dsn");
        using var client = new DsnSmtpClient()
        {
            Notify = DeliveryStatusNotification.Success | DeliveryStatusNotification.Failure,
            EnvelopeId = "env-42",
            DeliveryStatusNotificationType = DeliveryStatusNotificationType.HeadersOnly,
        };

        var transcript = await SendAsync(server, message, client);

        Assert.Contains("RET=HDRS", transcript, StringComparison.Ordinal);
        var stored = Assert.Single(server.Store.Messages);
        Assert.Equal("HDRS", stored.Envelope.DsnReturn);
        Assert.Equal("env-42", stored.Envelope.DsnEnvelopeId);
        var dsn = Assert.Single(stored.Envelope.RecipientDsn!);
        Assert.Equal("SUCCESS,FAILURE", dsn.Notify);
        Assert.Equal("rfc822;rcpt@example.test", dsn.OriginalRecipient);
    }

    private static MimeMessage Message(string from, string to, string subject) => new()
    {
        From = { MailboxAddress.Parse(from) },
        To = { MailboxAddress.Parse(to) },
        Subject = subject,
        Body = new TextPart("plain") { Text = "Hello from MailKit\r\n" },
    };

    private static async Task<string> SendAsync(SmtpTestServer server, MimeMessage message, DsnSmtpClient client)
    {
        using (client)
        {
            await client.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        return Encoding.UTF8.GetString(client.Transcript.ToArray());
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
