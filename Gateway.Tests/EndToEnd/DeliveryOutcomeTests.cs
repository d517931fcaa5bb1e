using System.Text.RegularExpressions;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.EndToEnd;

/// <summary>What the relay does with each kind of answer from the next hop.</summary>
public sealed partial class DeliveryOutcomeTests(RelayedGateway fixture) : IClassFixture<RelayedGateway>
{
    [Fact]
    public async Task Relay_DownstreamAnswers451ThenAccepts_DeliveredAfterTwoAttempts()
    {
        var recipient = $"greylisted-{Guid.NewGuid():N}@example.net";
        fixture.Downstream.Script.EnqueueRecipientReplies(recipient, DownstreamReply.TemporaryFailure);

        var queueId = await SubmitAsync(recipient);

        var detail = await fixture.WaitForMessageAsync(queueId, r => r.State == RecipientState.Delivered);
        var attempts = Assert.Single(detail.Recipients).Attempts;
        Assert.Equal(2, attempts.Count);
        Assert.Equal(AttemptOutcome.Deferred, attempts[0].Outcome);
        Assert.Equal(451, attempts[0].ReplyCode);
        Assert.Equal("4.3.0", attempts[0].EnhancedCode);
        Assert.Equal(AttemptOutcome.Delivered, attempts[1].Outcome);
        Assert.Equal(250, attempts[1].ReplyCode);
    }

    [Fact]
    public async Task Relay_DownstreamAnswers550_RecipientFailsAfterOneAttempt()
    {
        var recipient = $"unknown-{Guid.NewGuid():N}@example.net";
        fixture.Downstream.Script.EnqueueRecipientReplies(recipient, DownstreamReply.UserUnknown);

        var queueId = await SubmitAsync(recipient);

        var detail = await fixture.WaitForMessageAsync(queueId, r => r.State == RecipientState.Failed);
        var failed = Assert.Single(detail.Recipients);
        Assert.Equal(550, failed.LastReplyCode);
        Assert.Equal("5.1.1", failed.LastEnhancedCode);
        Assert.Single(failed.Attempts);
        Assert.DoesNotContain(fixture.Downstream.Messages, m => m.Recipients.Contains(recipient));
    }

    [Fact]
    public async Task Relay_OneOfTwoRecipientsRefused_EachRecipientHasItsOwnOutcome()
    {
        var good = $"good-{Guid.NewGuid():N}@example.net";
        var bad = $"bad-{Guid.NewGuid():N}@example.net";
        fixture.Downstream.Script.EnqueueRecipientReplies(bad, DownstreamReply.UserUnknown);

        var queueId = await SubmitAsync(good, bad);

        var detail = await fixture.WaitForMessageAsync(queueId,
            r => r.State is RecipientState.Delivered or RecipientState.Failed);
        Assert.Equal(RecipientState.Delivered, detail.Recipients.Single(r => r.Address == good).State);
        Assert.Equal(RecipientState.Failed, detail.Recipients.Single(r => r.Address == bad).State);
        var arrived = Assert.Single(fixture.Downstream.Messages, m => m.Recipients.Contains(good));
        Assert.Equal([good], arrived.Recipients);
    }

    private async Task<string> SubmitAsync(params string[] recipients)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = "Outcome test";
        message.Body = new TextPart("plain") { Text = "Hello from the tests.\r\n" };

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", fixture.Gateway.SmtpPort, SecureSocketOptions.None);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return QueuedAs().Match(reply).Groups[1].Value;
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();
}
