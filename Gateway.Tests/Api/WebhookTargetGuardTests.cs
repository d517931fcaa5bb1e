using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Api;

/// <summary>The default policy: no private or loopback targets, checked on the address actually connected.</summary>
public sealed class WebhookTargetGuardTests : IClassFixture<WebhookTargetGuardTests.DefaultPolicyHost>
{
    private readonly ApiTestHost _host;

    public WebhookTargetGuardTests(DefaultPolicyHost policy) => _host = policy.Api;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    public async Task LoopbackTarget_ByDefault_IsNeverContacted(string hostName)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = _host.Client();
        var port = new Uri(receiver.BaseUrl).Port;
        var webhook = await WebhooksApiTests.SubscribeAsync(client, $"http://{hostName}:{port}/ok", ["Received"]);

        await client.SendMailAsync(WebhooksApiTests.Mail("guarded"));
        var delivery = await WebhooksApiTests.PollAsync(async () =>
        {
            var log = await client.GetFromJsonAsync<JsonArray>($"/api/v1/webhooks/{webhook}/deliveries");
            return log!.FirstOrDefault(d => (int)d!["attemptCount"]! >= 1);
        });

        Assert.Contains("may not reach", (string)delivery["lastError"]!, StringComparison.Ordinal);
        Assert.Null(delivery["lastStatusCode"]);
        Assert.Empty(receiver.Calls);
    }

    public sealed class DefaultPolicyHost : IAsyncLifetime
    {
        public ApiTestHost Api { get; } = ApiTestHost.With(new Dictionary<string, string?>
        {
            ["Gateway:Webhooks:AllowPrivateTargets"] = "false",
        });

        public Task InitializeAsync() => Api.InitializeAsync();

        public Task DisposeAsync() => Api.DisposeAsync();
    }
}
