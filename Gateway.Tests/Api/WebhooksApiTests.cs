using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Api;

public sealed class WebhooksApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Secret = "test-secret-0123456789";

    [Fact]
    public async Task Event_IsPostedSignedWithHmacAndTimestamp()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = host.Client();
        await SubscribeAsync(client, $"{receiver.BaseUrl}/ok", ["Received"]);

        var id = (string)(await client.SendMailAsync(Mail("signed")))["id"]!;
        var calls = await receiver.WaitForAsync(c => c.Any(x => x.Body.Contains(id, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15));
        var call = calls.First(x => x.Body.Contains(id, StringComparison.Ordinal));

        var parts = call.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret),
            Encoding.UTF8.GetBytes($"{parts["t"]}.{call.Body}")));
        Assert.Equal(expected, parts["v1"]);
        Assert.InRange(long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal("Received", call.EventKind);
        Assert.Equal("Received", (string)JsonNode.Parse(call.Body)!["kind"]!);
        Assert.All(calls, c => Assert.Equal("Received", c.EventKind));
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedUntilItAccepts_AndTheLogShowsAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failuresBeforeSuccess: 2);
        using var client = host.Client();
        var webhook = await SubscribeAsync(client, $"{receiver.BaseUrl}/flaky", ["Received"]);

        var id = (string)(await client.SendMailAsync(Mail("flaky")))["id"]!;
        await receiver.WaitForAsync(c => c.Count(x => x.Body.Contains(id, StringComparison.Ordinal)) >= 3,
            TimeSpan.FromSeconds(15));
        var delivery = await PollAsync(async () =>
        {
            var log = await client.GetFromJsonAsync<JsonArray>($"/api/v1/webhooks/{webhook}/deliveries");
            return log!.FirstOrDefault(d => (string)d!["state"]! == "Delivered");
        });

        Assert.Equal(3, (int)delivery["attemptCount"]!);
        Assert.Equal(204, (int)delivery["lastStatusCode"]!);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = host.Client();
        var webhook = await SubscribeAsync(client, $"{receiver.BaseUrl}/redirect", ["Received"]);

        await client.SendMailAsync(Mail("redirect"));
        var delivery = await PollAsync(async () =>
        {
            var log = await client.GetFromJsonAsync<JsonArray>($"/api/v1/webhooks/{webhook}/deliveries");
            return log!.FirstOrDefault(d => (int)d!["attemptCount"]! >= 1);
        });

        Assert.Equal(302, (int)delivery["lastStatusCode"]!);
        Assert.Equal("Pending", (string)delivery["state"]!);
        Assert.DoesNotContain(receiver.Calls, c => c.Path == "/ok");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("/relative")]
    [InlineData("http://user:pass@127.0.0.1/hook")]
    public async Task Subscription_WithUnacceptableUrl_IsRefused(string url)
    {
        using var client = host.Client();

        using var response = await client.PostAsync("/api/v1/webhooks", JsonContent.Create(new { url }));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["url"]);
    }

    [Fact]
    public async Task Subscription_ListedAndDeleted()
    {
        using var client = host.Client();
        var id = await SubscribeAsync(client, "http://127.0.0.1:9/never", ["Delivered"]);

        var listed = await client.GetFromJsonAsync<JsonArray>("/api/v1/webhooks");
        using var deleted = await client.DeleteAsync($"/api/v1/webhooks/{id}");
        using var gone = await client.GetAsync($"/api/v1/webhooks/{id}/deliveries");

        Assert.Contains(listed!, w => (string)w!["id"]! == id);
        Assert.DoesNotContain("secret", listed!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    internal static async Task<string> SubscribeAsync(HttpClient client, string url, string[] kinds)
    {
        using var response = await client.PostAsync("/api/v1/webhooks",
            JsonContent.Create(new { url, eventKinds = kinds, secret = Secret }));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal(Secret, (string)body["secret"]!);
        return (string)body["webhook"]!["id"]!;
    }

    internal static object Mail(string subject) =>
        new { from = "hooks@example.test", to = new[] { "hook-rcpt@example.test" }, subject, text = "x" };

    internal static async Task<JsonNode> PollAsync(Func<Task<JsonNode?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
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
