using System.Text;
using System.Text.RegularExpressions;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Every real-world message of the corpus goes in over SMTP, is relayed to a downstream server, and must arrive
/// as exactly what the client transmitted with one Received header on top; REST then reports it delivered.
/// </summary>
public sealed partial class CorpusRelayTests(RelayedGateway fixture) : IClassFixture<RelayedGateway>
{
    private const string Sender = "sender@example.com";

    public static TheoryData<string> AllFiles => [.. Corpus.Files.Select(Corpus.RelativeName)];

    public static TheoryData<string> FilesMimeKitCanLoad => [.. Corpus.Files.Where(CanLoad).Select(Corpus.RelativeName)];

    [Theory]
    [MemberData(nameof(AllFiles))]
    public async Task RawClient_CorpusMessage_ArrivesByteExactWithOneReceivedHeader(string file)
    {
        var content = Corpus.ToCrLf(await File.ReadAllBytesAsync(Path.Combine(Corpus.Directory, "ruby-mail", file)));
        var recipient = $"raw-{Guid.NewGuid():N}@example.net";

        await using var smtp = await RawSmtpConnection.ConnectAsync(fixture.Gateway.SmtpPort);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync("EHLO raw.client.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync($"MAIL FROM:<{Sender}>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await smtp.CommandAsync($"RCPT TO:<{recipient}>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await smtp.CommandAsync("DATA"), StringComparison.Ordinal);
        await smtp.SendAsync(Corpus.ToDataWire(content));
        var queued = await smtp.ReadReplyAsync();
        Assert.StartsWith("250 2.0.0 Ok: queued as ", queued, StringComparison.Ordinal);
        Assert.StartsWith("221", await smtp.CommandAsync("QUIT"), StringComparison.Ordinal);

        await AssertRelayedAsync(QueueId(queued), recipient, content);
    }

    [Theory]
    [MemberData(nameof(FilesMimeKitCanLoad))]
    public async Task MailKitClient_CorpusMessage_ArrivesAsTransmittedWithOneReceivedHeader(string file)
    {
        var message = await MimeMessage.LoadAsync(Path.Combine(Corpus.Directory, "ruby-mail", file));
        var recipient = $"mailkit-{Guid.NewGuid():N}@example.net";
        var envelope = (Sender: MailboxAddress.Parse(Sender), Recipients: new[] { MailboxAddress.Parse(recipient) });

        // What MailKit transmits is captured by sending the same message to a plain sink. MimeKit completes a
        // message on its first write (it may add MIME-Version), so the sink gets it once before and once after
        // the gateway, and the gateway's copy is compared with the later one.
        await using var mirror = new DownstreamSmtpServer();
        await SendWithMailKitAsync(mirror.Port, message, envelope.Sender, envelope.Recipients);
        var queued = await SendWithMailKitAsync(fixture.Gateway.SmtpPort, message, envelope.Sender,
            envelope.Recipients);
        await SendWithMailKitAsync(mirror.Port, message, envelope.Sender, envelope.Recipients);

        var transmitted = (await mirror.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10)))[1].Content;
        await AssertRelayedAsync(QueueId(queued), recipient, transmitted);
    }

    private static async Task<string> SendWithMailKitAsync(
        int port,
        MimeMessage message,
        MailboxAddress sender,
        MailboxAddress[] recipients)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        var reply = await client.SendAsync(message, sender, recipients);
        await client.DisconnectAsync(quit: true);
        return reply;
    }

    private async Task AssertRelayedAsync(string queueId, string recipient, byte[] transmitted)
    {
        var arrived = await WaitForArrivalAsync(recipient);
        Assert.Equal(Sender, arrived.ReversePath);
        Assert.Equal([recipient], arrived.Recipients);

        var (ours, rest) = TraceHeader.SplitFirstField(arrived.Content);
        Assert.StartsWith("Received: from ", ours, StringComparison.Ordinal);
        Assert.Contains("([127.0.0.1])", ours, StringComparison.Ordinal);
        Assert.Contains($"by gateway.test (Gateway) with ESMTP id {queueId}", ours, StringComparison.Ordinal);
        Assert.Equal(Encoding.Latin1.GetString(transmitted), Encoding.Latin1.GetString(rest));

        var detail = await fixture.WaitForMessageAsync(queueId, r => r.State == RecipientState.Delivered);
        var delivered = Assert.Single(detail.Recipients);
        Assert.Equal(recipient, delivered.Address);
        Assert.Equal(250, delivered.LastReplyCode);
        Assert.Single(delivered.Attempts);
        Assert.StartsWith("from ", detail.Trace[0].Raw, StringComparison.Ordinal);
        Assert.Contains(queueId, detail.Trace[0].Raw, StringComparison.Ordinal);
    }

    private async Task<ReceivedMail> WaitForArrivalAsync(string recipient)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var match = fixture.Downstream.Messages.FirstOrDefault(m => m.Recipients.Contains(recipient));
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Nothing arrived downstream for {recipient}.");
    }

    private static string QueueId(string reply) => QueuedAs().Match(reply) is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException($"No queue id in '{reply}'");

    private static bool CanLoad(string path)
    {
        try
        {
            MimeMessage.Load(path);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();
}
