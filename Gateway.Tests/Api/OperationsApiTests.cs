using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Api;

/// <summary>
/// No smarthost is configured and retries are an hour apart, so every message defers once and then waits:
/// a stable queue for operator actions.
/// </summary>
public sealed class OperationsApiTests : IClassFixture<OperationsApiTests.WaitingQueueHost>
{
    private readonly ApiTestHost _host;

    public OperationsApiTests(WaitingQueueHost waiting) => _host = waiting.Api;

    [Fact]
    public async Task HoldThenRelease_OneMessage_CountsChangesAndRecordsOperator()
    {
        using var client = _host.Client();
        var id = await DeferredMessageAsync(client, "hold@example.test", "b@example.test");

        var held = await ActAsync(client, $"/api/v1/messages/{id}/hold");
        var heldAgain = await ActAsync(client, $"/api/v1/messages/{id}/hold");
        var states = await StatesAsync(client, id);
        var released = await ActAsync(client, $"/api/v1/messages/{id}/release");
        var events = await client.GetFromJsonAsync<JsonArray>($"/api/v1/messages/{id}/events");

        Assert.Equal((2, 2), ((int)held["matched"]!, (int)held["changed"]!));
        Assert.Equal(0, (int)heldAgain["changed"]!);
        Assert.All(states, s => Assert.Equal("Held", s));
        Assert.Equal(2, (int)released["changed"]!);
        var operatorEvents = events!.Where(e => (string)e!["kind"]! is "Held" or "Released").ToList();
        Assert.Equal(4, operatorEvents.Count);
        Assert.All(operatorEvents, e => Assert.Equal("apikey:admin", (string)e!["actor"]!));
    }

    [Fact]
    public async Task Cancel_OneRecipient_LeavesTheOtherAlone()
    {
        using var client = _host.Client();
        var id = await DeferredMessageAsync(client, "cancel@example.test", "keep@example.test");

        var result = await ActAsync(client, $"/api/v1/messages/{id}/recipients/cancel@example.test/cancel");
        var detail = await client.GetFromJsonAsync<JsonNode>($"/api/v1/messages/{id}");
        var states = detail!["recipients"]!.AsArray().ToDictionary(r => (string)r!["address"]!, r => (string)r!["state"]!);

        Assert.Equal(1, (int)result["changed"]!);
        Assert.Equal("Cancelled", states["cancel@example.test"]);
        Assert.Equal("Deferred", states["keep@example.test"]);
    }

    [Fact]
    public async Task RetryNow_MakesRecipientsDueAndTheRelayAttemptsAgain()
    {
        using var client = _host.Client();
        var id = await DeferredMessageAsync(client, "retry@example.test");

        var result = await ActAsync(client, $"/api/v1/messages/{id}/retry");
        var attempts = await PollAsync(async () =>
        {
            var detail = await client.GetFromJsonAsync<JsonNode>($"/api/v1/messages/{id}");
            var count = (int)detail!["recipients"]![0]!["attemptCount"]!;
            return count >= 2 ? (int?)count : null;
        });

        Assert.Equal(1, (int)result["changed"]!);
        Assert.True(attempts >= 2);
    }

    [Fact]
    public async Task BulkHold_ByFilter_ChangesOnlyMatchingRecipients()
    {
        using var client = _host.Client();
        var sender = $"bulk-{Guid.NewGuid():N}@example.test";
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await DeferredMessageAsync(client, sender, null, sender));
        }

        var other = await DeferredMessageAsync(client, "bystander@example.test");

        using var response = await client.PostAsync("/api/v1/operations/hold",
            JsonContent.Create(new { sender, state = "Deferred" }));
        var result = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (int)result["changed"]!);
        foreach (var id in ids)
        {
            Assert.Equal(["Held"], await StatesAsync(client, id));
        }

        Assert.Equal(["Deferred"], await StatesAsync(client, other));
    }

    [Fact]
    public async Task BulkAction_WithoutFilter_IsRefused()
    {
        using var client = _host.Client();

        using var response = await client.PostAsync("/api/v1/operations/cancel", JsonContent.Create(new { }));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["filter"]);
    }

    [Theory]
    [InlineData("explode")]
    [InlineData("Hold")]
    public async Task UnknownAction_Answers404Problem(string action)
    {
        using var client = _host.Client();
        var id = await DeferredMessageAsync(client, "unknown-action@example.test");

        using var response = await client.PostAsync($"/api/v1/messages/{id}/{action}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Action_OnUnknownMessage_Answers404()
    {
        using var client = _host.Client();

        using var response = await client.PostAsync($"/api/v1/messages/{Guid.NewGuid()}/hold", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> DeferredMessageAsync(HttpClient client, string to, string? alsoTo = null,
        string from = "ops@example.test")
    {
        var recipients = alsoTo is null ? new[] { to } : new[] { to, alsoTo };
        var id = (string)(await client.SendMailAsync(new { from, to = recipients, subject = "ops", text = "x" }))["id"]!;
        await PollAsync(async () => (await StatesAsync(client, id)).All(s => s == "Deferred") ? (int?)1 : null);
        return id;
    }

    private static async Task<List<string>> StatesAsync(HttpClient client, string id)
    {
        var detail = await client.GetFromJsonAsync<JsonNode>($"/api/v1/messages/{id}");
        return detail!["recipients"]!.AsArray().Select(r => (string)r!["state"]!).ToList();
    }

    private static async Task<JsonNode> ActAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe)
        where T : struct
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

    public sealed class WaitingQueueHost : IAsyncLifetime
    {
        public ApiTestHost Api { get; } = ApiTestHost.With(new Dictionary<string, string?>
        {
            ["Gateway:Relay:FirstRetryDelay"] = "01:00:00",
            ["Gateway:Relay:MaxRetryDelay"] = "01:00:00",
        });

        public Task InitializeAsync() => Api.InitializeAsync();

        public Task DisposeAsync() => Api.DisposeAsync();
    }
}
