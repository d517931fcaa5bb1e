using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Smtp.Fuzz;

namespace Gateway.Tests.Operations;

/// <summary>
/// The Prometheus scrape endpoint after real mail flowed: accepted, rejected, delivered and deferred mail, and a
/// message held in the queue. Counters are checked as lower bounds and per-series presence, never as exact totals.
/// It runs alone: OpenTelemetry subscribes to meters by name across the whole process, so while other gateways of
/// the test run are alive, this gateway's exporter may publish their instruments instead of its own (seen in CI).
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed partial class MetricsTests : IAsyncLifetime
{
    private readonly DownstreamSmtpServer _downstream = new();
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{_downstream.Port}",
            ["Gateway:Relay:FirstRetryDelay"] = "00:10:00",
            ["Gateway:Relay:MaxRetryDelay"] = "00:10:00",
            ["Gateway:Smtp:MaxMessageSize"] = "4096",
            ["Gateway:Smtp:MaxErrors"] = "3",
            ["Gateway:Metrics:QueueRefreshInterval"] = "00:00:00.200",
        });
    }

    [Fact]
    public async Task Metrics_AfterMailFlows_ExposesEverySeries()
    {
        var deferred = $"later-{Guid.NewGuid():N}@example.net";
        _downstream.Script.EnqueueRecipientReplies(deferred, DownstreamReply.TemporaryFailure);
        await Submit.MessageAsync(_gateway.SmtpPort, "Hello.\r\n", "now@example.net");
        await Submit.MessageAsync(_gateway.SmtpPort, "Hello again.\r\n", deferred);
        await _downstream.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        var tooBig = await SendTooBigAsync();
        var (unknownParameter, badRecipient) = await SendRefusedEnvelopeAsync();
        var closing = await SendUntilTooManyErrorsAsync();

        using var http = _gateway.CreateHttpClient();
        var scrape = await Eventually.HoldsAsync(() => http.GetStringAsync("/metrics"),
            text => Value(text, "gateway_relay_recipients_total", "gateway_delivery_outcome=\"deferred\"") >= 1
                    && Value(text, "gateway_queue_recipients", "gateway_recipient_state=\"deferred\"") >= 1,
            TimeSpan.FromSeconds(30), "the deferred recipient in the counters and the queue gauge");

        Assert.StartsWith("552 5.3.4", tooBig, StringComparison.Ordinal);
        Assert.StartsWith("555 5.5.4", unknownParameter, StringComparison.Ordinal);
        Assert.StartsWith("501 5.1.3", badRecipient, StringComparison.Ordinal);
        Assert.True(Value(scrape, "gateway_smtp_envelope_rejections_total",
            "error_type=\"unknown_parameter\"", "gateway_smtp_command=\"mail\"") >= 1);
        Assert.True(Value(scrape, "gateway_smtp_envelope_rejections_total",
            "error_type=\"bad_syntax\"", "gateway_smtp_command=\"rcpt\"") >= 1);
        Assert.StartsWith("421 4.7.0", closing, StringComparison.Ordinal);
        Assert.True(Value(scrape, "gateway_smtp_envelope_rejections_total",
            "error_type=\"unknown_parameter\"", "gateway_smtp_command=\"mail\"") >= 4);
        Assert.Equal(-1, Value(scrape, "gateway_smtp_envelope_rejections_total", "reply_421"));
        Assert.True(Value(scrape, "gateway_smtp_messages_total", "gateway_smtp_outcome=\"accepted\"") >= 2);
        Assert.True(Value(scrape, "gateway_smtp_messages_total", "error_type=\"message_too_big\"") >= 1);
        Assert.True(Value(scrape, "gateway_relay_recipients_total", "gateway_delivery_outcome=\"delivered\"") >= 1);
        Assert.True(Value(scrape, "gateway_smtp_accept_duration_seconds_count", "accepted") >= 2);
        Assert.True(Value(scrape, "gateway_relay_delivery_duration_seconds_count", string.Empty) >= 1);
        Assert.True(Value(scrape, "gateway_relay_attempt_duration_seconds_count", "delivered") >= 1);
        Assert.True(Value(scrape, "gateway_queue_oldest_age_seconds", string.Empty) > 0);
        Assert.Matches(SeriesLine("gateway_smtp_active_sessions"), scrape);
        Assert.Matches(SeriesLine("gateway_relay_active_connections"), scrape);
        Assert.Matches(SeriesLine("gateway_queue_recipients\\{[^}]*gateway_recipient_state=\"queued\""), scrape);
        Assert.Matches(SeriesLine("gateway_queue_recipients\\{[^}]*gateway_recipient_state=\"held\""), scrape);
    }

    private async Task<string> SendTooBigAsync()
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<app@example.com>");
        await smtp.CommandAsync("RCPT TO:<big@example.net>");
        await smtp.CommandAsync("DATA");
        await smtp.SendAsync("Subject: big\r\n\r\n" + new string('x', 8000) + "\r\n.\r\n");
        return await smtp.ReadReplyAsync();
    }

    // A MAIL with a parameter nobody defined, then a valid MAIL and a RCPT whose address does not parse.
    private async Task<(string MailReply, string RcptReply)> SendRefusedEnvelopeAsync()
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.test");
        var mail = await smtp.CommandAsync("MAIL FROM:<app@example.com> X-NOBODY=1");
        await smtp.CommandAsync("MAIL FROM:<app@example.com>");
        var rcpt = await smtp.CommandAsync("RCPT TO:<no-closing-bracket@example.net");
        await smtp.CommandAsync("QUIT");
        return (mail, rcpt);
    }

    // Refused MAILs until the session reaches MaxErrors (3): the last one is answered 421 and the session closed.
    private async Task<string> SendUntilTooManyErrorsAsync()
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<app@example.com> X-NOBODY=1");
        await smtp.CommandAsync("MAIL FROM:<app@example.com> X-NOBODY=2");
        return await smtp.CommandAsync("MAIL FROM:<app@example.com> X-NOBODY=3");
    }

    // The sum over every series of the metric whose labels contain each given text (the exporter's text format).
    private static double Value(string scrape, string metric, params string[] labelTexts) => scrape.Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal)
                       || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(line => labelTexts.All(text => line.Contains(text, StringComparison.Ordinal)))
        .Select(line => double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture))
        .DefaultIfEmpty(-1)
        .Sum();

    private static Regex SeriesLine(string pattern) => new($"(?m)^{pattern}");

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }
}
