using System.Text;
using Gateway.Core.Domain;
using Gateway.Core.Queue;
using Gateway.Smtp;
using Gateway.Smtp.Relay;
using Gateway.Smtp.Relay.Notices;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.Tests.Relay;

public sealed class DeliveryStatusNotifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Original = Encoding.ASCII.GetBytes(
        "From: a@origin.test\r\nTo: b@dest.test\r\nSubject: original\r\n" +
        "Message-ID: <1@origin.test>\r\n\r\nThe body.\r\n");

    private static DeliveryStatusNotifier Notifier(TimeSpan? delayNoticeAfter = null) => new(
        Options.Create(new RelayOptions { ReportingMta = "gateway.test", DelayNoticeAfter = delayNoticeAfter }),
        Options.Create(new SmtpOptions()), TimeProvider.System);

    private static QueuedMessage Message(string reversePath = "a@origin.test", string? envid = null,
        string? ret = null) => new(Guid.CreateVersion7(), reversePath, Now.AddHours(-1), Original)
        {
            EnvelopeId = envid,
            Return = ret,
        };

    private static DeliveryResult Result(AttemptOutcome outcome, string? notify = null, string? orcpt = null) => new(
        new ClaimedRecipient(1, Guid.Empty, "b@dest.test", 0) { Notify = notify, OriginalRecipient = orcpt },
        outcome, Now, 12, "relay.test:25", outcome == AttemptOutcome.Delivered ? 250 : 550,
        outcome == AttemptOutcome.Delivered ? "2.0.0" : "5.1.1", "reply text", null);

    private static MimeMessage Load(StatusNotice notice)
    {
        using var stream = new MemoryStream(notice.Message.Content.ToArray());
        return MimeMessage.Load(stream);
    }

    [Fact]
    public void NoticesFor_FailedRecipient_QueuesDsnFromNullReversePathToSender()
    {
        var notice = Assert.Single(Notifier().NoticesFor(Message(), [Result(AttemptOutcome.Failed)]));

        Assert.Equal((string.Empty, "a@origin.test"), (notice.Message.ReversePath, notice.Message.Recipients[0]));
        Assert.Equal(EventKind.Bounced, notice.Kind);
        var report = DsnAssert.Parse(notice.Message.Content.ToArray());
        var group = DsnAssert.Recipient(report, "b@dest.test", "failed", "5.1.1");
        Assert.Equal("smtp; 550 5.1.1 reply text", group["Diagnostic-Code"]);
        Assert.Equal("dns; relay.test", group["Remote-MTA"]);
    }

    [Fact]
    public void NoticesFor_NullReversePath_QueuesNothing()
    {
        Assert.Empty(Notifier().NoticesFor(Message(reversePath: string.Empty), [Result(AttemptOutcome.Failed)]));
    }

    [Theory]
    [InlineData("NEVER", 0)]
    [InlineData("DELAY", 0)]
    [InlineData("SUCCESS", 0)]
    [InlineData("FAILURE", 1)]
    [InlineData("success,failure", 1)]
    [InlineData(null, 1)]
    public void NoticesFor_NotifyParameter_DecidesFailureNotice(string? notify, int expected)
    {
        Assert.Equal(expected, Notifier().NoticesFor(Message(), [Result(AttemptOutcome.Failed, notify)]).Count);
    }

    [Fact]
    public void NoticesFor_DeliveredWithNotifySuccess_ReportsRelayed()
    {
        var notice = Assert.Single(Notifier().NoticesFor(Message(), [Result(AttemptOutcome.Delivered, "SUCCESS")]));

        DsnAssert.Recipient(DsnAssert.Parse(notice.Message.Content.ToArray()), "b@dest.test", "relayed", "2.0.0");
        Assert.Empty(Notifier().NoticesFor(Message(), [Result(AttemptOutcome.Delivered)]));
    }

    // RFC 3461 §5.2.1: a next hop that offers DSN was given NOTIFY=SUCCESS and reports success itself.
    [Fact]
    public void NoticesFor_DeliveredWithNotifySuccessToHopOfferingDsn_ReportsNothing()
    {
        var passedOn = Result(AttemptOutcome.Delivered, "SUCCESS") with { DsnPassedOn = true };

        Assert.Empty(Notifier().NoticesFor(Message(), [passedOn]));
    }

    // RFC 6533 §3: a UTF-8 recipient is named with address type utf-8, escaped so the field stays 7-bit.
    [Fact]
    public void NoticesFor_Utf8Recipient_FinalRecipientOfTypeUtf8()
    {
        var result = Result(AttemptOutcome.Failed);
        result = result with { Recipient = result.Recipient with { Address = "jos\u00e9+1@dest.test" } };

        var notice = Assert.Single(Notifier().NoticesFor(Message(), [result]));

        var status = (MessageDeliveryStatus)DsnAssert.Parse(notice.Message.Content.ToArray())[1];
        Assert.Equal(@"utf-8; jos\x{E9}\x{2B}1@dest.test", status.StatusGroups[1]["Final-Recipient"]);
    }

    // RFC 6531: a sender with a UTF-8 address is reached only over SMTPUTF8, so its notice is flagged.
    [Theory]
    [InlineData("a@origin.test", false)]
    [InlineData("\u00e4@origin.test", true)]
    public void NoticesFor_ReversePath_NoticeNeedsSmtpUtf8OnlyForUtf8Sender(string reversePath, bool smtpUtf8)
    {
        var notice = Assert.Single(Notifier().NoticesFor(Message(reversePath), [Result(AttemptOutcome.Failed)]));

        Assert.Equal(smtpUtf8, notice.Message.SmtpUtf8);
    }

    [Fact]
    public void NoticesFor_EnvidAndOrcpt_EchoedDecoded()
    {
        var message = Message(envid: "QQ+2B314");
        var notice = Assert.Single(Notifier().NoticesFor(message,
            [Result(AttemptOutcome.Failed, orcpt: "rfc822;b+2Bx@dest.test")]));

        var report = DsnAssert.Parse(notice.Message.Content.ToArray());
        var status = (MessageDeliveryStatus)report[1];
        Assert.Equal("QQ+314", status.StatusGroups[0]["Original-Envelope-Id"]);
        Assert.Equal("rfc822; b+x@dest.test", status.StatusGroups[1]["Original-Recipient"]);
    }

    [Fact]
    public void NoticesFor_RetFull_ReturnsWholeMessage()
    {
        var notice = Assert.Single(Notifier().NoticesFor(Message(ret: "FULL"), [Result(AttemptOutcome.Failed)]));

        var report = Assert.IsType<MultipartReport>(Load(notice).Body);
        var returned = Assert.IsType<MessagePart>(report[2]);
        Assert.Equal("original", returned.Message?.Subject);
        Assert.Equal("The body.", returned.Message?.TextBody?.Trim());
    }

    [Theory]
    [InlineData("HDRS")]
    [InlineData(null)]
    public void NoticesFor_RetHdrsOrAbsent_ReturnsHeadersOnly(string? ret)
    {
        var notice = Assert.Single(Notifier().NoticesFor(Message(ret: ret), [Result(AttemptOutcome.Failed)]));

        var report = Assert.IsType<MultipartReport>(Load(notice).Body);
        Assert.Equal("text/rfc822-headers", report[2].ContentType.MimeType);
        var text = Encoding.ASCII.GetString(notice.Message.Content.ToArray());
        Assert.Contains("Subject: original", text, StringComparison.Ordinal);
        Assert.DoesNotContain("The body.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IsDelayNoticeDue_RespectsSettingNotifyAndOnce()
    {
        var message = Message();
        var recipient = new ClaimedRecipient(1, message.Id, "b@dest.test", 1);

        Assert.False(Notifier().IsDelayNoticeDue(message, recipient, Now));
        Assert.True(Notifier(TimeSpan.FromMinutes(30)).IsDelayNoticeDue(message, recipient, Now));
        Assert.False(Notifier(TimeSpan.FromHours(2)).IsDelayNoticeDue(message, recipient, Now));
        Assert.False(Notifier(TimeSpan.Zero).IsDelayNoticeDue(message, recipient with { DelayNotified = true }, Now));
        Assert.False(Notifier(TimeSpan.Zero).IsDelayNoticeDue(message, recipient with { Notify = "FAILURE" }, Now));
    }
}
