using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gateway.Core.Domain;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

public sealed class SendApiTests(RelayingApiTestHost relaying) : IClassFixture<RelayingApiTestHost>
{
    private readonly DownstreamSmtpServer _downstream = relaying.Downstream;
    private readonly ApiTestHost _host = relaying.Api;

    [Fact]
    public async Task JsonMessage_IsDeliveredDownstream_WithOurReceivedHeaderAndWithoutBcc()
    {
        using var client = _host.Client();

        var result = await client.SendMailAsync(new
        {
            from = "App <app@example.test>",
            to = new[] { "Ann <ann@example.test>" },
            bcc = new[] { "audit@example.test" },
            subject = "Grüße from the API",
            text = "Hello over HTTP.",
            html = "<p>Hello over HTTP.</p>",
            attachments = new[] { new { fileName = "report.txt", contentType = "text/plain",
                content = Convert.ToBase64String("a report"u8.ToArray()) } },
            headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
        });
        var id = Guid.Parse((string)result["id"]!).ToString("N");
        var delivered = await WaitForDeliveryAsync(id);

        Assert.Equal("app@example.test", delivered.ReversePath);
        Assert.Equal(["ann@example.test", "audit@example.test"], delivered.Recipients.Order());
        Assert.StartsWith("Received: from gwk_", delivered.ContentText, StringComparison.Ordinal);
        Assert.Contains($"with HTTP id {id}", delivered.ContentText,
            StringComparison.Ordinal);
        Assert.DoesNotContain("audit@example.test", delivered.ContentText, StringComparison.Ordinal);
        Assert.Contains("X-Campaign: spring", delivered.ContentText, StringComparison.Ordinal);
        Assert.Contains("report.txt", delivered.ContentText, StringComparison.Ordinal);
        Assert.Contains("Subject: =?utf-8?", delivered.ContentText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeliveredMessage_StatusIsVisibleThroughTheApi()
    {
        using var client = _host.Client();
        var result = await client.SendMailAsync(new
        {
            from = "app@example.test", to = new[] { "status@example.test" }, subject = "status", text = "x",
        });
        var id = (string)result["id"]!;

        var state = await PollAsync(async () =>
        {
            var detail = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"/api/v1/messages/{id}");
            var recipient = detail!["recipients"]![0]!;
            return (string)recipient["state"]! == "Delivered" ? recipient : null;
        });

        Assert.Equal(250, (int)state["lastReplyCode"]!);
        Assert.Single(state["attempts"]!.AsArray());
    }

    [Fact]
    public async Task SameIdempotencyKey_QueuesTheMessageOnce()
    {
        using var client = _host.Client();
        var request = new
        {
            from = "app@example.test", to = new[] { "once@example.test" }, subject = "once", text = "x",
        };

        var first = await client.SendMailAsync(request, "order-42");
        var second = await client.SendMailAsync(request, "order-42");
        using var listing = await client.GetAsync("/api/v1/messages?recipient=once@example.test");
        var items = (await listing.ReadJsonAsync())["items"]!.AsArray();

        Assert.Equal((string)first["id"]!, (string)second["id"]!);
        Assert.False((bool)first["replayed"]!);
        Assert.True((bool)second["replayed"]!);
        Assert.Single(items);
    }

    // A crash between claiming the key and committing the message is played by deleting the committed message,
    // which leaves the key claimed by a message that does not exist.
    [Fact]
    public async Task IdempotencyKey_ClaimedByAMessageThatNeverCommitted_IsTakenOverOnceAbandoned()
    {
        using var client = _host.Client();
        var request = new
        {
            from = "app@example.test", to = new[] { "crash@example.test" }, subject = "crash", text = "x",
        };
        var lost = (string)(await client.SendMailAsync(request, "order-crash"))["id"]!;
        await ExecuteAsync("DELETE FROM messages WHERE id = $1", Guid.Parse(lost));

        using var fresh = await SendAsync(client, request, "order-crash");
        await ExecuteAsync("UPDATE idempotency_keys SET created_at = created_at - interval '3 minutes' " +
                           "WHERE key = 'order-crash'");
        var retried = await client.SendMailAsync(request, "order-crash");
        var replayed = await client.SendMailAsync(request, "order-crash");

        Assert.Equal(HttpStatusCode.Conflict, fresh.StatusCode);
        Assert.NotEqual(lost, (string)retried["id"]!);
        Assert.False((bool)retried["replayed"]!);
        Assert.Equal((string)retried["id"]!, (string)replayed["id"]!);
        Assert.True((bool)replayed["replayed"]!);
        using var listing = await client.GetAsync("/api/v1/messages?recipient=crash@example.test");
        Assert.Single((await listing.ReadJsonAsync())["items"]!.AsArray());
    }

    // The first request's late failure must not free a key that a retry has taken over since: its release names
    // the message it claimed for, and the key now names another.
    [Fact]
    public async Task IdempotencyKey_TakenOver_IsNotFreedByTheFirstRequestsRelease()
    {
        using var client = _host.Client();
        var request = new
        {
            from = "app@example.test", to = new[] { "late@example.test" }, subject = "late", text = "x",
        };
        var lost = Guid.Parse((string)(await client.SendMailAsync(request, "order-late"))["id"]!);
        await ExecuteAsync("DELETE FROM messages WHERE id = $1", lost);
        await ExecuteAsync("UPDATE idempotency_keys SET created_at = created_at - interval '3 minutes' " +
                           "WHERE key = 'order-late'");
        var retried = (string)(await client.SendMailAsync(request, "order-late"))["id"]!;

        await using (var scope = _host.Gateway.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<Gateway.Api.Api.Send.IdempotencyStore>();
            var apiKeyId = await ScalarAsync<Guid>("SELECT api_key_id FROM idempotency_keys WHERE key = 'order-late'");
            await store.ReleaseAsync(apiKeyId, "order-late", lost, CancellationToken.None);
        }

        var replayed = await client.SendMailAsync(request, "order-late");

        Assert.Equal(retried, (string)replayed["id"]!);
        Assert.True((bool)replayed["replayed"]!);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, object request, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
        {
            Content = JsonContent.Create(request),
        };
        message.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(message);
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task SameIdempotencyKey_WithDifferentBody_Answers422()
    {
        using var client = _host.Client();
        await client.SendMailAsync(new { from = "app@example.test", to = new[] { "a@example.test" }, text = "1" },
            "reused-key");

        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
        {
            Content = JsonContent.Create(
                new { from = "app@example.test", to = new[] { "b@example.test" }, text = "2" }),
        };
        message.Headers.Add("Idempotency-Key", "reused-key");
        using var response = await client.SendAsync(message);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Theory]
    [InlineData("subject", "Hi\r\nBcc: victim@example.test")]
    [InlineData("subject", "Hi\nX-Injected: yes")]
    [InlineData("from", "app@example.test\r\nRCPT TO:<victim@example.test>")]
    [InlineData("to", "ann@example.test\r\nBcc: victim@example.test")]
    [InlineData("to", "ann@example.test, victim@example.test")]
    [InlineData("headerName", "X-Evil\r\nBcc")]
    [InlineData("headerValue", "ok\r\nBcc: victim@example.test")]
    [InlineData("fileName", "a.txt\"\r\nBcc: victim@example.test")]
    public async Task FieldWithLineBreakOrExtraAddress_IsRefusedWithFieldError(string field, string value)
    {
        using var client = _host.Client();
        var headers = new Dictionary<string, string> { [field == "headerName" ? value : "X-Note"] =
            field == "headerValue" ? value : "fine" };
        object request = new
        {
            from = field == "from" ? value : "app@example.test",
            to = new[] { field == "to" ? value : "ann@example.test" },
            subject = field == "subject" ? value : "fine",
            text = "x",
            headers,
            attachments = new[] { new { fileName = field == "fileName" ? value : "a.txt", contentType = "text/plain",
                content = "eA==" } },
        };

        using var response = await client.PostAsync("/api/v1/messages", JsonContent.Create(request));
        var body = await response.ReadJsonAsync();
        using var listing = await client.GetAsync("/api/v1/messages?recipient=victim@example.test");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(body["errors"]!.AsObject());
        Assert.Empty((await listing.ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task RawMessage_IsQueuedWithItsBytesAndLineBreaksNormalised()
    {
        using var client = _host.Client();
        var raw = "From: app@example.test\nTo: raw@example.test\nSubject: raw one\n" +
                  "Message-ID: <raw-1@example.test>\n\nBody line\n";

        using var response = await client.PostAsync("/api/v1/messages",
            new ByteArrayContent(Encoding.ASCII.GetBytes(raw)) { Headers = { { "Content-Type", "message/rfc822" } } });
        var id = (string)(await response.ReadJsonAsync())["id"]!;
        using var stored = await client.GetAsync($"/api/v1/messages/{id}/raw");
        var bytes = await stored.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("message/rfc822", stored.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("From: app@example.test\r\nTo: raw@example.test\r\nSubject: raw one\r\n" +
                        "Message-ID: <raw-1@example.test>\r\n\r\nBody line\r\n", bytes, StringComparison.Ordinal);
        Assert.StartsWith("Received: ", bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawMessage_WithBccHeader_IsRefused()
    {
        using var client = _host.Client();
        var raw = "From: app@example.test\r\nTo: a@example.test\r\nBcc: hidden@example.test\r\n\r\nx\r\n";

        using var response = await client.PostAsync("/api/v1/messages",
            new ByteArrayContent(Encoding.ASCII.GetBytes(raw)) { Headers = { { "Content-Type", "message/rfc822" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task KeyWithAllowedSenders_SendingAsAnotherSender_Answers403()
    {
        using var client = _host.Client(await _host.CreateKeyAsync("shop", ApiScope.Send, "@shop.test"));

        using var refused = await client.PostAsync("/api/v1/messages", JsonContent.Create(
            new { from = "ceo@bank.test", to = new[] { "a@example.test" }, text = "x" }));
        using var allowed = await client.PostAsync("/api/v1/messages", JsonContent.Create(
            new { from = "orders@shop.test", to = new[] { "a@example.test" }, text = "x" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
    }

    [Fact]
    public async Task KeyWithRateLimit_OverTheLimit_Answers429WithRetryAfter_ReplaysStillAnswer_LiftedLimitSends()
    {
        using var admin = _host.Client();
        var name = $"limited-{Guid.NewGuid():N}";
        using var created = await admin.PostAsJsonAsync("/api/v1/keys",
            new { name, scopes = new[] { "send" }, messagesPerMinute = 2 });
        var key = await created.ReadJsonAsync();
        var id = (string)key["apiKey"]!["id"]!;
        using var client = _host.Client((string)key["key"]!);
        var message = new { from = "app@example.test", to = new[] { "limited@example.test" }, text = "x" };

        var first = await client.SendMailAsync(message, "limited-1");
        await client.SendMailAsync(message);
        using var refused = await client.PostAsync("/api/v1/messages", JsonContent.Create(message));
        var problem = await refused.ReadJsonAsync();
        var replay = await client.SendMailAsync(message, "limited-1");
        using var listed = await admin.GetAsync("/api/v1/keys");
        var listedKey = (await listed.ReadJsonAsync()).AsArray().Single(k => (string)k!["id"]! == id)!;
        using var lifted = await admin.PutAsJsonAsync($"/api/v1/keys/{id}/limits",
            new { messagesPerMinute = (int?)null, messagesPerDay = (int?)null });
        using var afterwards = await client.PostAsync("/api/v1/messages", JsonContent.Create(message));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("2 messages per minute", (string)problem["detail"]!, StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal((string)first["id"]!, (string)replay["id"]!);
        Assert.Equal(2, (int)listedKey["messagesPerMinute"]!);
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, afterwards.StatusCode);
    }

    [Fact]
    public async Task KeyLimits_NotPositive_Answer400_UnknownKey404()
    {
        using var admin = _host.Client();

        using var zero = await admin.PostAsJsonAsync("/api/v1/keys",
            new { name = "zero", scopes = new[] { "send" }, messagesPerDay = 0 });
        using var unknown = await admin.PutAsJsonAsync($"/api/v1/keys/{Guid.NewGuid()}/limits",
            new { messagesPerMinute = 5, messagesPerDay = (int?)null });

        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("messagesPerDay", await zero.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task UnsupportedContentType_Answers415Problem()
    {
        using var client = _host.Client();

        using var response = await client.PostAsync("/api/v1/messages",
            new StringContent("hi", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<ReceivedMail> WaitForDeliveryAsync(string queueId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var found = _downstream.Messages
                .FirstOrDefault(m => m.ContentText.Contains(queueId, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Message {queueId} did not reach the downstream server.");
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The condition did not become true in time.");
    }
}
