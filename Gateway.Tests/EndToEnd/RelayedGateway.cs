using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api.Api;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>A gateway on a fresh database that relays to a downstream SMTP server the test controls.</summary>
public sealed class RelayedGateway : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public DownstreamSmtpServer Downstream { get; } = new();

    public GatewayHost Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await SharedPostgres.NewDatabaseAsync();
        Gateway = GatewayHost.Start(ConnectionString, new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{Downstream.Port}",
        });
        Http = await Gateway.CreateApiClientAsync();
    }

    public async Task<MessageDetail> GetMessageAsync(string queueId)
    {
        var detail = await Http.GetFromJsonAsync<MessageDetail>($"/api/v1/messages/{queueId}", Json);
        return detail ?? throw new InvalidOperationException("Empty reply from the REST API.");
    }

    /// <summary>Polls the REST API until every recipient of the message satisfies the condition.</summary>
    public async Task<MessageDetail> WaitForMessageAsync(string queueId, Func<RecipientDetail, bool> condition,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var detail = await GetMessageAsync(queueId);
            if (detail.Recipients.All(condition))
            {
                return detail;
            }

            if (DateTime.UtcNow > deadline)
            {
                var states = string.Join(", ", detail.Recipients.Select(r => $"{r.Address}={r.State}"));
                throw new TimeoutException($"Message {queueId} did not reach the expected state: {states}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Downstream.DisposeAsync();
    }
}
