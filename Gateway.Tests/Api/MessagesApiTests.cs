using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Api;

public sealed class MessagesApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Listing_PagedWhileMailArrives_ShowsEveryEarlierMessageOnce()
    {
        using var client = host.Client();
        var sender = $"pager-{Guid.NewGuid():N}@example.test";
        var before = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            before.Add((string)(await client.SendMailAsync(Mail(sender, $"early {i}")))["id"]!);
        }

        using var stop = new CancellationTokenSource();
        var arriving = Task.Run(async () =>
        {
            using var writer = host.Client();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await writer.SendMailAsync(Mail(sender, $"late {i}"));
            }
        });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonNode>(
                $"/api/v1/messages?sender={sender}&limit=4" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page!["items"]!.AsArray().Select(m => (string)m!["id"]!));
            cursor = (string?)page["nextCursor"];
            await Task.Delay(20);
        }
        while (cursor is not null);
        await stop.CancelAsync();
        await arriving;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(before, id => Assert.Contains(id, seen));
    }

    [Fact]
    public async Task Listing_FiltersBySubjectRecipientMessageIdTimeAndUser()
    {
        using var client = host.Client();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var wanted = await client.SendMailAsync(new
        {
            from = "filters@example.test", to = new[] { $"r-{tag}@example.test" },
            subject = $"Invoice {tag} for March", text = "x",
        });
        await client.SendMailAsync(new
        {
            from = "filters@example.test", to = new[] { $"other-{tag}@example.test" }, subject = $"Other {tag}", text = "x",
        });
        var messageId = (string)wanted["messageId"]!;

        async Task<List<string>> Ids(string query) =>
            (await client.GetFromJsonAsync<JsonNode>($"/api/v1/messages?{query}"))!["items"]!.AsArray()
            .Select(m => (string)m!["id"]!).ToList();

        var id = (string)wanted["id"]!;
        Assert.Equal([id], await Ids($"subject=invoice%20{tag}"));
        Assert.Equal([id], await Ids($"recipient=r-{tag}@example.test"));
        Assert.Equal([id], await Ids($"messageId={Uri.EscapeDataString(messageId)}"));
        Assert.Equal([id], await Ids($"messageId={Uri.EscapeDataString(messageId.Trim('<', '>'))}"));
        Assert.Contains(id, await Ids($"receivedFrom={Uri.EscapeDataString(start.ToString("O"))}&authenticatedUser=apikey:admin"));
        Assert.DoesNotContain(id, await Ids($"receivedBefore={Uri.EscapeDataString(start.ToString("O"))}"));
        Assert.Contains(id, await Ids("state=Queued&sender=filters@example.test") is { Count: > 0 } q ? q
            : await Ids("state=Deferred&sender=filters@example.test"));
    }

    [Fact]
    public async Task Listing_WithBadState_AnswersFieldLevelProblem()
    {
        using var client = host.Client();

        using var response = await client.GetAsync("/api/v1/messages?state=Lost&limit=0&cursor=zzz");
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["state"]);
        Assert.NotNull(body["errors"]!["limit"]);
        Assert.NotNull(body["errors"]!["cursor"]);
    }

    [Fact]
    public async Task Detail_ParsesEveryReceivedHeaderIntoTraceHops()
    {
        using var client = host.Client();
        var raw = "Received: from mail.upstream.test (mail.upstream.test [192.0.2.7])\r\n" +
                  "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n" +
                  "\tby mx.upstream.test (Postfix) with ESMTPS id 4AbCd\r\n" +
                  "\tfor <hop@example.test>; Thu, 03 Dec 2026 10:00:00 +0100\r\n" +
                  "From: a@upstream.test\r\nTo: hop@example.test\r\nSubject: hops\r\n\r\nbody\r\n";
        using var sent = await client.PostAsync("/api/v1/messages",
            new ByteArrayContent(Encoding.ASCII.GetBytes(raw)) { Headers = { { "Content-Type", "message/rfc822" } } });
        var id = (string)(await sent.ReadJsonAsync())["id"]!;

        var detail = await client.GetFromJsonAsync<JsonNode>($"/api/v1/messages/{id}");
        var trace = detail!["trace"]!.AsArray();

        Assert.Equal(2, trace.Count);
        Assert.Equal("HTTP", (string)trace[0]!["with"]!);
        Assert.Equal(Guid.Parse(id).ToString("N"), (string)trace[0]!["id"]!);
        Assert.Equal("mail.upstream.test (mail.upstream.test [192.0.2.7]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)",
            (string)trace[1]!["from"]!);
        Assert.Equal("mx.upstream.test (Postfix)", (string)trace[1]!["by"]!);
        Assert.Equal("ESMTPS", (string)trace[1]!["with"]!);
        Assert.Equal("4AbCd", (string)trace[1]!["id"]!);
        Assert.Equal("<hop@example.test>", (string)trace[1]!["for"]!);
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            (DateTimeOffset)trace[1]!["date"]!);
    }

    [Fact]
    public async Task Events_OfOneMessage_StartWithReceived()
    {
        using var client = host.Client();
        var id = (string)(await client.SendMailAsync(Mail("events@example.test", "events")))["id"]!;

        var events = await client.GetFromJsonAsync<JsonArray>($"/api/v1/messages/{id}/events");

        Assert.Equal("Received", (string)events![0]!["kind"]!);
        Assert.Equal("apikey:admin", (string)events[0]!["actor"]!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/raw")]
    [InlineData("/events")]
    public async Task UnknownMessage_Answers404Problem(string suffix)
    {
        using var client = host.Client();

        using var response = await client.GetAsync($"/api/v1/messages/{Guid.NewGuid()}{suffix}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Stats_CountRecipientsAndThroughput()
    {
        using var client = host.Client();
        await client.SendMailAsync(Mail("stats@example.test", "stats"));

        var stats = await client.GetFromJsonAsync<JsonNode>("/api/v1/stats");
        var recipients = stats!["recipients"]!.AsObject();

        Assert.True((long)stats["messages"]! >= 1);
        Assert.True(recipients.Sum(r => (long)r.Value!) >= 1);
        Assert.True(stats["perMinute"]!.AsArray().Sum(m => (long)m!["received"]!) >= 1);
        Assert.NotNull(stats["oldestQueuedAgeSeconds"]);
    }

    private static object Mail(string from, string subject) =>
        new { from, to = new[] { "someone@example.test" }, subject, text = "x" };
}
