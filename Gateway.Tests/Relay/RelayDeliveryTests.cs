using Gateway.Core.Ingest;
using Gateway.Smtp.Relay;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

[Collection("postgres")]
public sealed class RelayDeliveryTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string Endpoint(DownstreamSmtpServer server) => $"127.0.0.1:{server.Port}";

    [Fact]
    public async Task Relay_ToLibraryDownstream_DeliversExactBytes()
    {
        await using var downstream = new LibraryDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var content = RelayHarness.Content("exact", "Line one\r\n.starts with a dot\r\nBcc: stays in the body\r\n");
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"], content);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = downstream.Endpoint));
        var rows = await relay.WaitForAsync(id, r => r.State == "Delivered");

        // The SmtpServer library hands its store the data without the CRLF that ends the last line.
        var mail = Assert.Single(await downstream.WaitForAsync(1, Wait));
        Assert.Equal(content[..^2], mail.Data);
        Assert.Equal("sender@origin.test", mail.ReversePath);
        Assert.Equal(["rcpt@dest.test"], mail.Recipients);
        Assert.Equal(250, Assert.Single(rows).ReplyCode);
        var attempt = Assert.Single(await relay.AttemptsAsync(id));
        Assert.Equal((downstream.Endpoint, null as string, "Delivered"),
            (attempt.NextHop, attempt.TlsProtocol, attempt.Outcome));
    }

    [Fact]
    public async Task Relay_RecipientsOfTwoDomainsSameSmarthost_OneTransaction()
    {
        await using var downstream = new DownstreamSmtpServer();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var content = RelayHarness.Content("three", "..two dots\r\n.\r\nBcc: x@y.test");
        var id = await relay.EnqueueAsync("sender@origin.test", ["a@one.test", "b@two.test", "c@one.test"], content);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = Endpoint(downstream)));
        await relay.WaitForAsync(id, r => r.State == "Delivered");

        var mail = Assert.Single(await downstream.WaitForMessagesAsync(1, Wait));
        Assert.Equal(["a@one.test", "b@two.test", "c@one.test"], mail.Recipients.Order());
        Assert.Equal(content, mail.Content);
        Assert.Single(downstream.Commands, c => c.StartsWith("DATA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_ManyMessagesSameDestination_ReusesOneConnection()
    {
        await using var downstream = new DownstreamSmtpServer();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await relay.EnqueueAsync("sender@origin.test", [$"r{i}@dest.test"]));
        }

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.Concurrency = 1;
        }));
        foreach (var id in ids)
        {
            await relay.WaitForAsync(id, r => r.State == "Delivered");
        }

        Assert.Equal(8, downstream.Messages.Count);
        Assert.Equal(1, downstream.ConnectionCount);
        Assert.Single(downstream.Commands, c => c.StartsWith("EHLO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_PartialRcptFailures_HandledPerRecipient()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = address => address switch
            {
                "busy@dest.test" => new DownstreamReply(452, "4.2.2 Mailbox full"),
                "gone@dest.test" => DownstreamReply.UserUnknown,
                "later@dest.test" => DownstreamReply.TemporaryFailure,
                _ => null,
            },
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test",
            ["ok@dest.test", "busy@dest.test", "gone@dest.test", "later@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));
        var rows = await relay.WaitForAsync(id, r => r.AttemptCount == 1);

        Assert.Equal(
            [("ok@dest.test", "Delivered", 250), ("busy@dest.test", "Deferred", 452),
             ("gone@dest.test", "Failed", 550), ("later@dest.test", "Deferred", 451)],
            rows.Select(r => (r.Address, r.State, r.ReplyCode ?? 0)));

        // The sender's domain goes to the same smarthost, so its bounce for gone@ arrives there too.
        var received = await downstream.WaitForMessagesAsync(2, Wait);
        Assert.Equal(["ok@dest.test"], Assert.Single(received, m => m.ReversePath.Length > 0).Recipients);
        var bounce = Assert.Single(received, m => m.ReversePath.Length == 0);
        DsnAssert.Recipient(DsnAssert.Parse(bounce.Content), "gone@dest.test", "failed", "5.1.1");
    }

    [Fact]
    public async Task Relay_421DuringTransaction_DefersEveryRecipientOfTheConnection()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = address => address == "second@dest.test" ? DownstreamReply.ServiceUnavailable : null,
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var first = await relay.EnqueueAsync("sender@origin.test", ["first@dest.test", "second@dest.test"]);
        var other = await relay.EnqueueAsync("sender@origin.test", ["third@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.Concurrency = 1;
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));
        var firstRows = await relay.WaitForAsync(first, r => r.AttemptCount == 1);
        var otherRows = await relay.WaitForAsync(other, r => r.AttemptCount == 1);

        Assert.All(firstRows.Concat(otherRows), r => Assert.Equal(("Deferred", 421), (r.State, r.ReplyCode ?? 0)));
        Assert.Empty(downstream.Messages);
        Assert.Equal(1, downstream.ConnectionCount);
    }

    [Fact]
    public async Task Relay_550AtEndOfData_FailsAndBouncesToSendersMailbox()
    {
        await using var senders = new LibraryDownstream();
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            DataHandler = _ => new DownstreamReply(550, "5.7.1 Content rejected"),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.Routes["origin.test"] = new() { Smarthost = senders.Endpoint, Tls = TlsMode.None };
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Failed");

        Assert.Equal((550, "5.7.1"), (rows[0].ReplyCode, rows[0].EnhancedCode));
        var bounce = Assert.Single(await senders.WaitForAsync(1, Wait));
        Assert.Equal(string.Empty, bounce.ReversePath);
        Assert.Equal(["sender@origin.test"], bounce.Recipients);
        var report = DsnAssert.Parse(bounce.Data);
        DsnAssert.Recipient(report, "rcpt@dest.test", "failed", "5.7.1");
    }

    [Fact]
    public async Task Relay_DisconnectMidData_DefersThenDeliversOnRetry()
    {
        await using var downstream = new ScriptedDownstream { DisconnectAfterDataBytes = 10 };
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = downstream.Endpoint));
        var deferred = await relay.WaitForAsync(id, r => r.State == "Deferred");
        downstream.DisconnectAfterDataBytes = null;
        var delivered = await relay.WaitForAsync(id, r => r.State == "Delivered");

        Assert.Null(deferred[0].ReplyCode);
        Assert.True(delivered[0].AttemptCount >= 2);
        Assert.Single(await downstream.WaitForAsync(1, Wait));
    }

    [Fact]
    public async Task Relay_SlowRepliesWithinTimeout_Delivers()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            ReplyDelay = TimeSpan.FromMilliseconds(300),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = Endpoint(downstream)));

        var rows = await relay.WaitForAsync(id, r => r.State == "Delivered");
        Assert.Equal(1, rows[0].AttemptCount);
    }

    [Fact]
    public async Task Relay_ReplySlowerThanCommandTimeout_Defers()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            ReplyDelay = TimeSpan.FromSeconds(2),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.CommandTimeout = TimeSpan.FromMilliseconds(300);
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));

        var rows = await relay.WaitForAsync(id, r => r.State == "Deferred");
        Assert.Contains("connect", rows[0].ReplyText, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(downstream.Messages);
    }

    [Fact]
    public async Task Relay_DeferredPastQueueLifetime_FailsAndBounces()
    {
        await using var senders = new LibraryDownstream();
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = _ => new DownstreamReply(451, "4.7.1 Greylisted"),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.MaxQueueLifetime = TimeSpan.FromSeconds(2);
            o.RetryDelays = [TimeSpan.FromMilliseconds(300)];
            o.Routes["origin.test"] = new() { Smarthost = senders.Endpoint, Tls = TlsMode.None };
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Failed");

        Assert.StartsWith("Gave up after the maximum queue lifetime", rows[0].ReplyText, StringComparison.Ordinal);
        Assert.True(rows[0].AttemptCount >= 2);
        var report = DsnAssert.Parse(Assert.Single(await senders.WaitForAsync(1, Wait)).Data);
        DsnAssert.Recipient(report, "rcpt@dest.test", "failed", "5.4.7");
    }

    [Fact]
    public async Task Relay_FailureOfNullReversePathMessage_SendsNoBounce()
    {
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = _ => DownstreamReply.UserUnknown,
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync(string.Empty, ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Smarthost = Endpoint(downstream)));
        await relay.WaitForAsync(id, r => r.State == "Failed");

        Assert.Equal([id], await relay.NoticeIdsAsync());
        Assert.Equal(0, await relay.ScalarAsync("SELECT count(*) FROM events WHERE kind = 'Bounced'"));
    }

    [Fact]
    public async Task Relay_DelayNoticeConfigured_SentOncePerRecipient()
    {
        await using var senders = new LibraryDownstream();
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = _ => new DownstreamReply(451, "4.7.1 Greylisted"),
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.DelayNoticeAfter = TimeSpan.Zero;
            o.RetryDelays = [TimeSpan.FromMilliseconds(200)];
            o.Routes["origin.test"] = new() { Smarthost = senders.Endpoint, Tls = TlsMode.None };
        }));
        var rows = await relay.WaitForAsync(id, r => r.AttemptCount >= 3);

        Assert.True(rows[0].DelayNotified);
        var notice = Assert.Single(await senders.WaitForAsync(1, Wait));
        DsnAssert.Recipient(DsnAssert.Parse(notice.Data), "rcpt@dest.test", "delayed", "4.7.1");
        Assert.Equal(1, await relay.ScalarAsync("SELECT count(*) FROM messages WHERE reverse_path = ''"));
    }

    [Fact]
    public async Task Relay_StoredDsnParameters_ShapeTheBounce()
    {
        await using var senders = new LibraryDownstream();
        await using var downstream = new DownstreamSmtpServer(new DownstreamScript
        {
            RecipientHandler = _ => DownstreamReply.UserUnknown,
        });
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var silent = await relay.EnqueueAsync(Stored(["quiet@dest.test"], [new("NEVER", null)], null, null));
        var id = await relay.EnqueueAsync(Stored(["loud@dest.test"],
            [new("FAILURE,DELAY", "rfc822;Loud+2Balias@dest.test")], "ENV+2B42", "FULL"));

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = Endpoint(downstream);
            o.Routes["origin.test"] = new() { Smarthost = senders.Endpoint, Tls = TlsMode.None };
        }));
        await relay.WaitForAsync(silent, r => r.State == "Failed");
        await relay.WaitForAsync(id, r => r.State == "Failed");

        // Notices are queued in the transaction that records the failure: NOTIFY=NEVER left none.
        Assert.Single(await relay.NoticeIdsAsync());
        var bounce = Assert.Single(await senders.WaitForAsync(1, Wait));
        var report = DsnAssert.Parse(bounce.Data);
        var group = DsnAssert.Recipient(report, "loud@dest.test", "failed", "5.1.1");
        Assert.Equal("rfc822; Loud+alias@dest.test", group["Original-Recipient"]);
        Assert.Equal("ENV+42", ((MimeKit.MessageDeliveryStatus)report[1]).StatusGroups[0]["Original-Envelope-Id"]);
        Assert.IsType<MimeKit.MessagePart>(report[2]);
    }

    private static IncomingMessage Stored(
        IReadOnlyList<string> recipients,
        IReadOnlyList<RecipientDsn> dsn,
        string? envelopeId,
        string? ret) => new()
    {
        Id = Guid.CreateVersion7(),
        ReceivedAt = DateTimeOffset.UtcNow,
        ClientAddress = "127.0.0.1",
        ReversePath = "sender@origin.test",
        Recipients = recipients,
        RecipientDsn = dsn,
        DsnEnvelopeId = envelopeId,
        DsnReturn = ret,
        Content = RelayHarness.Content("dsn"),
    };
}
