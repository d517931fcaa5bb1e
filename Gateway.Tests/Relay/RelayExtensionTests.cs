using System.Text;
using Gateway.Core.Domain;
using Gateway.Core.Ingest;
using Gateway.Tests.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Relay;

/// <summary>
/// What the relay passes on to the next hop from the client's MAIL and RCPT parameters (SMTPUTF8, BODY and the
/// DSN parameters), and what it refuses to send to a next hop that does not offer the extension a message needs.
/// Input comes from MailKit or raw bytes into the whole gateway; the next hops are real SMTP servers on loopback.
/// </summary>
public sealed class RelayExtensionTests(ExtensionHopsGateway fixture) : IClassFixture<ExtensionHopsGateway>
{
    // RFC 6531 §3.4: the message goes to the SMTPUTF8 hop with SMTPUTF8 on MAIL, and its bytes are not touched.
    [Fact]
    public async Task Relay_SmtpUtf8MessageToHopOfferingSmtpUtf8_MailCarriesSmtpUtf8AndBytesArriveIntact()
    {
        var sender = NewSender();
        const string recipient = "josé@capable.test";

        var id = await SubmitWithMailKitAsync(sender, recipient, "Grüße aus dem Test");

        await fixture.WaitForMessageAsync(id, r => r.State == RecipientState.Delivered);
        var stored = await fixture.StoredContentAsync(id);
        Assert.Contains("josé@capable.test", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        var mail = Assert.Single(fixture.Capable.Messages, m => m.ReversePath == sender);
        Assert.Equal([recipient], mail.Recipients);
        Assert.Equal(stored, mail.Content);
        Assert.Contains($"MAIL FROM:<{sender}> BODY=8BITMIME SMTPUTF8 SIZE={stored.Length}", fixture.Capable.Commands);
    }

    // RFC 6531 §3.4: no downgrade. Every recipient of the transaction fails with 5.6.7, the hop never sees MAIL,
    // and the sender gets a bounce.
    [Fact]
    public async Task Relay_SmtpUtf8MessageToHopWithoutSmtpUtf8_NotSentRecipientsFail567AndSenderBounced()
    {
        var sender = NewSender();

        var id = await SubmitWithMailKitAsync(sender, ["josé@bare.test", "plain@bare.test"], "Grüße");

        var detail = await fixture.WaitForMessageAsync(id, r => r.State == RecipientState.Failed);
        Assert.All(detail.Recipients, r =>
        {
            Assert.Equal((553, "5.6.7"), (r.LastReplyCode, r.LastEnhancedCode));
            Assert.Contains("does not offer SMTPUTF8; the message needs it (RFC 6531)", r.LastReplyText,
                StringComparison.Ordinal);
            var attempt = Assert.Single(r.Attempts);
            Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
            Assert.Equal($"127.0.0.1:{fixture.Bare.Port}", attempt.NextHop);
        });
        Assert.DoesNotContain(fixture.Bare.Commands, c => c.Contains(sender, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Bare.Messages, m => m.ReversePath == sender);

        var bounce = await fixture.WaitForNoticeAsync(sender);
        var report = DsnAssert.Parse(bounce.Content);
        var group = DsnAssert.Recipient(report, "plain@bare.test", "failed", "5.6.7");
        Assert.StartsWith("smtp; 553 5.6.7 next hop", group["Diagnostic-Code"], StringComparison.Ordinal);
        var utf8 = Assert.Single(((MessageDeliveryStatus)report[1]).StatusGroups,
            g => g["Final-Recipient"] == @"utf-8; jos\x{E9}@bare.test");
        Assert.Equal(("failed", "5.6.7"), (utf8["Action"], utf8["Status"]));
    }

    // The gate is the SMTPUTF8 flag, nothing else: the same hops take an ASCII message as before.
    [Fact]
    public async Task Relay_AsciiMessage_DeliveredToBothHopsWithoutSmtpUtf8()
    {
        var sender = NewSender();

        var id = await SubmitWithMailKitAsync(sender, ["plain@bare.test", "plain@capable.test"], "Plain ASCII");

        await fixture.WaitForMessageAsync(id, r => r.State == RecipientState.Delivered);
        var stored = await fixture.StoredContentAsync(id);
        Assert.Equal(stored, Assert.Single(fixture.Bare.Messages, m => m.ReversePath == sender).Content);
        Assert.Equal(stored, Assert.Single(fixture.Capable.Messages, m => m.ReversePath == sender).Content);
        Assert.Contains($"MAIL FROM:<{sender}> SIZE={stored.Length}", fixture.Bare.Commands);
        Assert.Contains($"MAIL FROM:<{sender}> SIZE={stored.Length}", fixture.Capable.Commands);
    }

    // RFC 5321 §2.4, RFC 6152 §3: 8-bit content never goes to a hop without 8BITMIME; we do not convert it.
    [Fact]
    public async Task Relay_EightBitMessageToHopWithout8BitMime_NotSentRecipientFails563()
    {
        var sender = NewSender();
        var content = "Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n" +
                      "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n";

        var id = await SubmitRawAsync($"MAIL FROM:<{sender}> BODY=8BITMIME", ["RCPT TO:<eight@bare.test>"], content);

        var failed = Assert.Single((await fixture.WaitForMessageAsync(id, r => r.State == RecipientState.Failed))
            .Recipients);
        Assert.Equal((554, "5.6.3"), (failed.LastReplyCode, failed.LastEnhancedCode));
        Assert.Contains("does not offer 8BITMIME", failed.LastReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Bare.Commands, c => c.Contains(sender, StringComparison.Ordinal));
    }

    // RFC 3461 §5.2.1: to a hop offering DSN, RET and ENVID go on MAIL and NOTIFY and ORCPT on RCPT, unchanged,
    // and success is then the hop's to report. §5.2.2: to a hop without DSN none of them goes, and the gateway
    // itself sends the "relayed" notice that NOTIFY=SUCCESS asked for.
    [Fact]
    public async Task Relay_DsnParameters_PassedOnOnlyWhereTheHopOffersDsn()
    {
        var sender = NewSender();

        var id = await SubmitRawAsync($"MAIL FROM:<{sender}> RET=HDRS ENVID=env+2B42",
        [
            "RCPT TO:<dsn@capable.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;orig@capable.test",
            "RCPT TO:<dsn@bare.test> NOTIFY=SUCCESS ORCPT=rfc822;orig@bare.test",
        ], "Subject: dsn\r\n\r\nHello.\r\n");

        await fixture.WaitForMessageAsync(id, r => r.State == RecipientState.Delivered);
        var size = (await fixture.StoredContentAsync(id)).Length;
        Assert.Contains($"MAIL FROM:<{sender}> RET=HDRS ENVID=env+2B42 SIZE={size}", fixture.Capable.Commands);
        Assert.Contains("RCPT TO:<dsn@capable.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;orig@capable.test",
            fixture.Capable.Commands);
        Assert.Contains($"MAIL FROM:<{sender}> SIZE={size}", fixture.Bare.Commands);
        Assert.Contains("RCPT TO:<dsn@bare.test>", fixture.Bare.Commands);

        var notice = await fixture.WaitForNoticeAsync(sender);
        var report = DsnAssert.Parse(notice.Content);
        DsnAssert.Recipient(report, "dsn@bare.test", "relayed", "2.0.0");
        Assert.Equal(1, await fixture.NoticeCountAsync(sender));
    }

    // RFC 1870: the stored size goes on MAIL, and a message over the hop's declared maximum is not sent to it at
    // all: the recipient fails at once with 5.3.4 and the sender hears of it, instead of a transfer refused at the end.
    [Fact]
    public async Task Relay_MessageOverTheHopsDeclaredSize_NotSentRecipientFails534_SmallerOneDelivered()
    {
        var sender = NewSender();

        var big = await SubmitRawAsync($"MAIL FROM:<{sender}>", ["RCPT TO:<big@small.test>"],
            "Subject: big\r\n\r\n" + new string('x', 2000) + "\r\n");
        var small = await SubmitRawAsync($"MAIL FROM:<{sender}>", ["RCPT TO:<small@small.test>"],
            "Subject: small\r\n\r\nHello.\r\n");

        var failed = Assert.Single((await fixture.WaitForMessageAsync(big, r => r.State == RecipientState.Failed))
            .Recipients);
        Assert.Equal((552, "5.3.4"), (failed.LastReplyCode, failed.LastEnhancedCode));
        Assert.Contains("takes messages up to 1024 octets", failed.LastReplyText, StringComparison.Ordinal);
        await fixture.WaitForMessageAsync(small, r => r.State == RecipientState.Delivered);
        var size = (await fixture.StoredContentAsync(small)).Length;
        Assert.Equal([$"MAIL FROM:<{sender}> SIZE={size}"],
            fixture.Small.Commands.Where(c => c.Contains(sender, StringComparison.Ordinal)));
        var bounce = await fixture.WaitForNoticeAsync(sender);
        DsnAssert.Recipient(DsnAssert.Parse(bounce.Content), "big@small.test", "failed", "5.3.4");
    }

    // The listener refuses line breaks in parameters; should one be in the database anyway, it must not become a
    // second command at the next hop.
    [Fact]
    public async Task Relay_StoredEnvelopeIdWithLineBreak_NothingSentRecipientFails()
    {
        var sender = NewSender();
        var message = new IncomingMessage
        {
            Id = Guid.CreateVersion7(),
            ReceivedAt = DateTimeOffset.UtcNow,
            ClientAddress = "127.0.0.1",
            ReversePath = sender,
            Recipients = ["guard@capable.test"],
            Content = Encoding.ASCII.GetBytes("Subject: guard\r\n\r\nHello.\r\n"),
            DsnEnvelopeId = "env\r\nRSET",
        };

        await fixture.EnqueueAsync(message);

        var failed = Assert.Single((await fixture.WaitForMessageAsync(message.Id,
            r => r.State == RecipientState.Failed)).Recipients);
        Assert.Equal((554, "5.5.2"), (failed.LastReplyCode, failed.LastEnhancedCode));
        Assert.DoesNotContain(fixture.Capable.Commands, c => c.Contains(sender, StringComparison.Ordinal));
    }

    private static string NewSender() => $"sender-{Guid.NewGuid():N}@origin.test";

    private Task<Guid> SubmitWithMailKitAsync(string sender, string recipient, string subject) =>
        SubmitWithMailKitAsync(sender, [recipient], subject);

    private async Task<Guid> SubmitWithMailKitAsync(string sender, string[] recipients, string subject)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(sender));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Body = new TextPart("plain") { Text = $"{subject}\r\n" };
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", fixture.Gateway.SmtpPort, SecureSocketOptions.None);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return QueueId(reply);
    }

    private async Task<Guid> SubmitRawAsync(string mailCommand, string[] rcptCommands, string content)
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(fixture.Gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO raw.test");
        Assert.StartsWith("250", await smtp.CommandAsync(mailCommand), StringComparison.Ordinal);
        foreach (var rcpt in rcptCommands)
        {
            Assert.StartsWith("250", await smtp.CommandAsync(rcpt), StringComparison.Ordinal);
        }

        Assert.StartsWith("354", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
        await smtp.SendAsync(content + ".\r\n");
        var queued = await smtp.ReadReplyAsync();
        Assert.StartsWith("250", queued, StringComparison.Ordinal);
        await smtp.CommandAsync("QUIT");
        return QueueId(queued);
    }

    // The gateway's reply to the end of data ends with "queued as <id>".
    private static Guid QueueId(string reply) => Guid.ParseExact(reply.Trim().Split(' ')[^1], "N");
}
