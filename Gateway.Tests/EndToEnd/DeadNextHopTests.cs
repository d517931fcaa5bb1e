using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Gateway.Api.Api;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.EndToEnd;

public sealed partial class DeadNextHopTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private GatewayHost _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // A port nobody listens on: connections are refused.
        var deadPort = FreePort.Next();
        _gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{deadPort}",
            ["Gateway:Relay:FirstRetryDelay"] = "00:10:00",
            ["Gateway:Relay:MaxRetryDelay"] = "01:00:00",
        });
        _http = await _gateway.CreateApiClientAsync();
    }

    [Fact]
    public async Task Relay_NextHopNotListening_RecipientDeferredWithAttemptRecorded()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        message.To.Add(MailboxAddress.Parse("someone@example.net"));
        message.Subject = "Nobody home";
        message.Body = new TextPart("plain") { Text = "Hello.\r\n" };
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", _gateway.SmtpPort, SecureSocketOptions.None);
        var queueId = QueuedAs().Match(await client.SendAsync(message)).Groups[1].Value;
        await client.DisconnectAsync(quit: true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        MessageDetail detail;
        do
        {
            await Task.Delay(200);
            detail = (await _http.GetFromJsonAsync<MessageDetail>($"/api/v1/messages/{queueId}", Json))!;
        }
        while (detail.Recipients[0].State != RecipientState.Deferred && DateTime.UtcNow < deadline);

        var recipient = Assert.Single(detail.Recipients);
        Assert.Equal(RecipientState.Deferred, recipient.State);
        Assert.Equal(1, recipient.AttemptCount);
        var attempt = Assert.Single(recipient.Attempts);
        Assert.Equal(AttemptOutcome.Deferred, attempt.Outcome);
        Assert.Null(attempt.ReplyCode);
        Assert.Contains("Could not connect", attempt.ReplyText, StringComparison.Ordinal);
        Assert.True(recipient.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(5), "retry follows the schedule");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();
}
