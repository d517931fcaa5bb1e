using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Operations;

/// <summary>Two processes with split roles on one database deliver mail together; each runs only its part.</summary>
public sealed class SplitRolesTests(SplitRolesDeployment deployment) : IClassFixture<SplitRolesDeployment>
{
    [Fact]
    public async Task SplitRoles_SmtpProcessAndRelayProcess_DeliverMailTogether()
    {
        var recipient = $"split-{Guid.NewGuid():N}@example.net";

        var queueId = await Submit.MessageAsync(deployment.Smtp.SmtpPort, "Across processes.\r\n", recipient);

        var arrived = await Eventually.HoldsAsync(() => Task.FromResult(deployment.Downstream.Messages),
            mails => mails.Any(m => m.Recipients.Contains(recipient)), TimeSpan.FromSeconds(60),
            "the downstream server to receive the message");
        Assert.Equal([recipient], arrived.Single(m => m.Recipients.Contains(recipient)).Recipients);
        using var relayHttp = deployment.Relay.CreateHttpClient();
        var detail = await Eventually.HoldsAsync(() => relayHttp.GetStringAsync($"/api/v1/messages/{queueId}"),
            json => json.Contains("\"Delivered\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
            "the relay process's REST API to show the delivery");
        Assert.Contains(recipient, detail, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => Task.FromResult(deployment.Relay.Output),
            lines => lines.Any(l => l.Contains(queueId, StringComparison.Ordinal)
                                    && l.Contains("status=sent", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the relay's delivery log line naming the queue id");
    }

    [Fact]
    public async Task SplitRoles_EachProcess_RunsOnlyItsOwnRoles()
    {
        using var smtpHttp = deployment.Smtp.CreateHttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await smtpHttp.GetAsync("/api/v1/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await smtpHttp.GetAsync("/metrics")).StatusCode);
        using var relayHttp = deployment.Relay.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await relayHttp.GetAsync("/api/v1/messages")).StatusCode);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(
            () => probe.ConnectAsync("127.0.0.1", deployment.Relay.SmtpPort));

        var queueId = await Submit.MessageAsync(deployment.Smtp.SmtpPort, "Logged as JSON.\r\n",
            "json@example.net");

        var line = await Eventually.HoldsAsync(
            () => Task.FromResult(deployment.Smtp.Output.FirstOrDefault(
                l => l.Contains(queueId, StringComparison.Ordinal))),
            l => l is not null, TimeSpan.FromSeconds(10), "the smtp process's log line for the message");
        using var json = JsonDocument.Parse(line!);
        Assert.Equal(2000, json.RootElement.GetProperty("EventId").GetInt32());
        Assert.Equal(queueId, json.RootElement.GetProperty("State").GetProperty("QueueId").GetString());
        Assert.DoesNotContain(deployment.Smtp.Output, l => l.Contains("status=sent", StringComparison.Ordinal));
    }
}
