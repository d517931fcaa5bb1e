using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api.Api;
using Gateway.Core.Ingest;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Npgsql;

namespace Gateway.Tests.Relay;

/// <summary>
/// The whole gateway with three next hops that differ in what their EHLO reply offers: mail for
/// <c>capable.test</c> goes to a hop offering SMTPUTF8, DSN and 8BITMIME; mail for <c>bare.test</c> to one offering
/// none of them; mail for <c>small.test</c> to one declaring SIZE 1024; everything else (the senders' domain, so
/// every notice) to a sink offering SMTPUTF8 and 8BITMIME. Every hop declares SIZE.
/// </summary>
public sealed class ExtensionHopsGateway : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public DownstreamSmtpServer Capable { get; } = new(new DownstreamScript
    {
        Hostname = "capable.test",
        AdvertiseSmtpUtf8 = true,
        AdvertiseDsn = true,
    });

    public DownstreamSmtpServer Bare { get; } = new(new DownstreamScript
    {
        Hostname = "bare.test",
        Advertise8BitMime = false,
    });

    public DownstreamSmtpServer Small { get; } = new(new DownstreamScript
    {
        Hostname = "small.test",
        MaxMessageSize = 1024,
    });

    public DownstreamSmtpServer Senders { get; } = new(new DownstreamScript
    {
        Hostname = "senders.test",
        AdvertiseSmtpUtf8 = true,
    });

    public GatewayHost Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Gateway:Relay:Smarthost"] = Endpoint(Senders),
            ["Gateway:Relay:Routes:capable.test:Smarthost"] = Endpoint(Capable),
            ["Gateway:Relay:Routes:bare.test:Smarthost"] = Endpoint(Bare),
            ["Gateway:Relay:Routes:small.test:Smarthost"] = Endpoint(Small),
        });
        Http = await Gateway.CreateApiClientAsync();
    }

    /// <summary>Polls the REST API until every recipient of the message satisfies the condition.</summary>
    public async Task<MessageDetail> WaitForMessageAsync(Guid id, Func<RecipientDetail, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var detail = await Http.GetFromJsonAsync<MessageDetail>($"/api/v1/messages/{id:N}", Json)
                         ?? throw new InvalidOperationException("Empty reply from the REST API.");
            if (detail.Recipients.All(condition))
            {
                return detail;
            }

            if (DateTime.UtcNow > deadline)
            {
                var states = string.Join(", ", detail.Recipients.Select(r => $"{r.Address}={r.State}"));
                throw new TimeoutException($"Message {id:N} did not reach the expected state: {states}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Stores a message straight into the queue, as the ingestor writes it, bypassing the listener's checks.
    /// </summary>
    public async Task EnqueueAsync(IncomingMessage message)
    {
        await using var connection = await Gateway.GetService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        GroupCommitIngestor.AddCommands(batch, message);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {GroupCommitIngestor.QueueChannel}"));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The message bytes as the gateway stored them (and so as the relay must send them).</summary>
    public async Task<byte[]> StoredContentAsync(Guid id)
    {
        await using var command = Gateway.GetService<NpgsqlDataSource>()
            .CreateCommand("SELECT data FROM message_contents WHERE message_id = $1");
        command.Parameters.AddWithValue(id);
        return (byte[])(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No {id}"));
    }

    /// <summary>How many notices the gateway queued to <paramref name="sender"/> (mail from the null path).</summary>
    public async Task<long> NoticeCountAsync(string sender)
    {
        await using var command = Gateway.GetService<NpgsqlDataSource>().CreateCommand(
            """
            SELECT count(*) FROM messages m JOIN recipients r ON r.message_id = m.id
            WHERE m.reverse_path = '' AND r.address = $1
            """);
        command.Parameters.AddWithValue(sender);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the sink holds a notice to <paramref name="sender"/> and returns it.</summary>
    public async Task<ReceivedMail> WaitForNoticeAsync(string sender)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var notice = Senders.Messages.FirstOrDefault(m => m.ReversePath.Length == 0 &&
                                                              m.Recipients.Contains(sender));
            if (notice is not null)
            {
                return notice;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No notice to {sender} arrived at the sink.");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Capable.DisposeAsync();
        await Bare.DisposeAsync();
        await Small.DisposeAsync();
        await Senders.DisposeAsync();
    }

    private static string Endpoint(DownstreamSmtpServer server) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.Port}");
}
