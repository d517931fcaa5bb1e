using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api.Api;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>The listing's filters and keyset pages, and the problem details of bad requests.</summary>
public sealed class MessagesApiTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly DownstreamSmtpServer _downstream = new();
    private GatewayHost _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{_downstream.Port}",
        });
        _http = await _gateway.CreateApiClientAsync();
    }

    [Fact]
    public async Task List_PagedWithCursor_ReturnsEveryMessageOnceNewestFirst()
    {
        var sent = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add(await SendAsync($"page{i}@example.com", "list@example.net", $"<page-{i}@test>"));
        }

        var seen = new List<MessageSummary>();
        string? cursor = null;
        do
        {
            var url = "/api/v1/messages?limit=3" + (cursor is null ? string.Empty : $"&cursor={cursor}");
            var page = (await _http.GetFromJsonAsync<MessagePage>(url, Json))!;
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(sent.AsEnumerable().Reverse(), seen.Select(m => m.Id.ToString("N")));
    }

    [Fact]
    public async Task List_Filters_SelectBySenderRecipientMessageIdAndState()
    {
        var id = await SendAsync("filter-sender@example.com", "filter-rcpt@example.net", "<filter@test>");
        await SendAsync("other@example.com", "other@example.net", "<other@test>");

        var bySender = await ListAsync("sender=filter-sender@example.com");
        var byRecipient = await ListAsync("recipient=filter-rcpt@example.net");
        var byMessageId = await ListAsync("messageId=%3Cfilter@test%3E");

        Assert.Equal(id, Assert.Single(bySender).Id.ToString("N"));
        Assert.Equal(id, Assert.Single(byRecipient).Id.ToString("N"));
        Assert.Equal(id, Assert.Single(byMessageId).Id.ToString("N"));

        await _downstream.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<MessageSummary> delivered;
        do
        {
            delivered = await ListAsync("state=delivered&sender=filter-sender@example.com");
        }
        while (delivered.Count == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(RecipientState.Delivered, Assert.Single(Assert.Single(delivered).Recipients).State);
        Assert.Empty(await ListAsync("state=failed&sender=filter-sender@example.com"));
    }

    [Theory]
    [InlineData("state=lost")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    public async Task List_BadParameter_Returns400ProblemDetails(string query)
    {
        var response = await _http.GetAsync($"/api/v1/messages?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404ProblemDetails()
    {
        var response = await _http.GetAsync($"/api/v1/messages/{Guid.CreateVersion7():N}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<IReadOnlyList<MessageSummary>> ListAsync(string query) =>
        (await _http.GetFromJsonAsync<MessagePage>($"/api/v1/messages?{query}", Json))!.Items;

    private async Task<string> SendAsync(string sender, string recipient, string messageId)
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync($"MAIL FROM:<{sender}>");
        await smtp.CommandAsync($"RCPT TO:<{recipient}>");
        await smtp.CommandAsync("DATA");
        await smtp.SendAsync($"Message-ID: {messageId}\r\nSubject: list\r\n\r\nbody\r\n.\r\n");
        var reply = await smtp.ReadReplyAsync();
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply, StringComparison.Ordinal);
        return reply["250 2.0.0 Ok: queued as ".Length..];
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }
}
