using Microsoft.Extensions.DependencyInjection;
using Gateway.Core.Telemetry;
using System.Text;
using Gateway.Core.Ingest;
using Gateway.Core.Persistence;
using Gateway.Core.Queue;
using Gateway.Smtp;
using Gateway.Smtp.Relay;
using Gateway.Smtp.Relay.Notices;
using Gateway.Smtp.Relay.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Tests.Relay;

/// <summary>
/// Relay workers against a real database, without the rest of the gateway: tests enqueue messages the way the
/// ingestor stores them, start one or more workers, and read back recipients, attempts and events.
/// </summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    private readonly List<RelayWorker> _workers = [];

    private RelayHarness(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<RelayHarness> CreateAsync(Infrastructure.PostgresFixture postgres)
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var options = new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using (var db = new GatewayDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        return new RelayHarness(connectionString);
    }

    /// <summary>Test timings: retries within a second or two, a short poll, short timeouts.</summary>
    public static RelayOptions FastOptions(Action<RelayOptions>? configure = null)
    {
        var options = new RelayOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            RetryDelays = [TimeSpan.FromMilliseconds(500)],
            CommandTimeout = TimeSpan.FromSeconds(5),
            DataTimeout = TimeSpan.FromSeconds(5),
            LeaseDuration = TimeSpan.FromSeconds(30),
            Concurrency = 2,
            Tls = TlsMode.None,
            ReportingMta = "gateway.test",
        };
        configure?.Invoke(options);
        return options;
    }

    // Workers outside a host still count what they do; the meters are simply not exported anywhere.
    private static GatewayMetrics Metrics { get; } = new(new ServiceCollection().AddMetrics().BuildServiceProvider()
        .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public async Task<RelayWorker> StartWorkerAsync(RelayOptions options)
    {
        var relay = Options.Create(options);
        var smtp = Options.Create(new SmtpOptions { Hostname = "gateway.test" });
        var router = new NextHopRouter(relay, new MxResolver(relay));
        var notifier = new DeliveryStatusNotifier(relay, smtp, TimeProvider.System);
        var worker = new RelayWorker(new RelayQueue(DataSource, TimeProvider.System), DataSource, router, notifier,
            relay, smtp, TimeProvider.System, Metrics, NullLogger<RelayWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _workers.Add(worker);
        return worker;
    }

    public async Task StopWorkersAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        _workers.Clear();
    }

    public static byte[] Content(string subject, string body = "Hello.") => Encoding.UTF8.GetBytes(
        $"From: sender@origin.test\r\nTo: someone@dest.test\r\nSubject: {subject}\r\n" +
        $"Message-ID: <{Guid.NewGuid():N}@origin.test>\r\n\r\n{body}\r\n");

    /// <summary>Stores a message with its recipients queued, as the listener would, and notifies the workers.</summary>
    public Task<Guid> EnqueueAsync(string reversePath, IReadOnlyList<string> recipients, byte[]? content = null) =>
        EnqueueAsync(new IncomingMessage
        {
            Id = Guid.CreateVersion7(),
            ReceivedAt = DateTimeOffset.UtcNow,
            ClientAddress = "127.0.0.1",
            HeloName = "client.test",
            ReversePath = reversePath,
            Recipients = recipients,
            Content = content ?? Content("test"),
        });

    /// <summary>Stores the message as given (DSN parameters included) and notifies the workers.</summary>
    public async Task<Guid> EnqueueAsync(IncomingMessage message)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        GroupCommitIngestor.AddCommands(batch, message);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {GroupCommitIngestor.QueueChannel}"));
        await batch.ExecuteNonQueryAsync();
        return message.Id;
    }

    public async Task<List<RecipientRow>> RecipientsAsync(Guid messageId)
    {
        await using var command = DataSource.CreateCommand(
            """
            SELECT address, state, attempt_count, last_reply_code, last_enhanced_code, last_reply_text,
                   delay_notified_at IS NOT NULL
            FROM recipients WHERE message_id = $1 ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        var rows = new List<RecipientRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new RecipientRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    /// <summary>Polls until every recipient of the message meets the condition; fails after the timeout.</summary>
    public async Task<List<RecipientRow>> WaitForAsync(
        Guid messageId,
        Func<RecipientRow, bool> condition,
        TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = await RecipientsAsync(messageId);
            if (rows.Count > 0 && rows.All(condition))
            {
                return rows;
            }

            if (limit.IsCancellationRequested)
            {
                Assert.Fail($"Timed out; recipients: {string.Join("; ", rows)}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public async Task<List<(string NextHop, string? TlsProtocol, int? ReplyCode, string Outcome)>> AttemptsAsync(
        Guid messageId)
    {
        await using var command = DataSource.CreateCommand(
            """
            SELECT next_hop, tls_protocol, reply_code, outcome
            FROM delivery_attempts WHERE message_id = $1 ORDER BY id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        var rows = new List<(string, string?, int?, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>Messages the gateway generated itself (notices): those with the null reverse-path.</summary>
    public async Task<List<Guid>> NoticeIdsAsync()
    {
        await using var command = DataSource.CreateCommand(
            "SELECT id FROM messages WHERE reverse_path = '' ORDER BY received_at");
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a count query until it reaches <paramref name="expected"/>; fails after the timeout.</summary>
    public async Task WaitForCountAsync(string sql, long expected, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        long count;
        while ((count = await ScalarAsync(sql)) < expected)
        {
            if (limit.IsCancellationRequested)
            {
                Assert.Fail($"Timed out at {count} of {expected}: {sql}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkersAsync();
        await DataSource.DisposeAsync();
    }
}
