using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Domain;
using Gateway.Core.Events;
using Gateway.Core.Logging;
using Gateway.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Core.Webhooks;

/// <summary>
/// Turns feed events into deliveries for each subscription (advancing its feed position in the same
/// transaction), then POSTs due deliveries, retrying failures with exponential backoff. Deliveries are leased,
/// so several nodes may run dispatchers against one database. At-least-once: a receiver may see an event twice
/// (after a timeout), and retries can reorder events; the payload carries the feed cursor to sort and dedupe by.
/// </summary>
public sealed class WebhookDispatcher(
    NpgsqlDataSource dataSource,
    EventFeed feed,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int FanOutBatch = 500;
    private const int SendBatch = 32;

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly WebhookOptions _options = options.Value;
    private HttpClient? _client;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new HttpClient(WebhookHttpHandler.Create(_options)) { Timeout = _options.RequestTimeout };
        _client = client;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FanOutAsync(stoppingToken);
                while (await SendDueAsync(stoppingToken) == SendBatch)
                {
                    // A full batch: more may be due at once.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                WebhookLog.LoopFaulted(logger, ex);
            }

            try
            {
                await Task.Delay(_options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FanOutAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var subscriptions = new List<(Guid Id, EventCursor Position, string[] Kinds)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, feed_xid, feed_event_id, event_kinds FROM webhook_subscriptions
            WHERE enabled FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                subscriptions.Add((reader.GetGuid(0), new EventCursor(reader.GetInt64(1), reader.GetInt64(2)),
                    reader.GetFieldValue<string[]>(3)));
            }
        }

        foreach (var (id, position, kinds) in subscriptions)
        {
            var events = await feed.ReadAsync(position, FanOutBatch, cancellationToken);
            if (events.Count == 0)
            {
                continue;
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            var now = time.GetUtcNow();
            foreach (var e in events.Where(e => kinds.Length == 0 || kinds.Contains(e.Kind.ToString())))
            {
                batch.BatchCommands.Add(SqlValues.Batch(
                    """
                    INSERT INTO webhook_deliveries (subscription_id, event_id, event_kind, payload, state,
                        attempt_count, next_attempt_at, created_at)
                    VALUES ($1, $2, $3, $4, 'Pending', 0, $5, $5)
                    """,
                    id, e.Id, e.Kind.ToString(), JsonSerializer.Serialize(e, PayloadJson), now));
            }

            if (!EventCursor.TryParse(events[^1].Cursor, out var last))
            {
                throw new InvalidOperationException($"The feed issued an unreadable cursor: {events[^1].Cursor}.");
            }

            batch.BatchCommands.Add(SqlValues.Batch(
                "UPDATE webhook_subscriptions SET feed_xid = $2, feed_event_id = $3 WHERE id = $1",
                id, last.TransactionId, last.EventId));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<DueDelivery>();
        await using (var claim = dataSource.CreateCommand(
            """
            UPDATE webhook_deliveries AS d SET locked_until = $2
            FROM (
                SELECT id FROM webhook_deliveries
                WHERE state = 'Pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                ORDER BY id LIMIT $3
                FOR UPDATE SKIP LOCKED
            ) AS due, webhook_subscriptions AS s
            WHERE d.id = due.id AND s.id = d.subscription_id
            RETURNING d.id, d.event_kind, d.payload, d.attempt_count, s.url, s.secret
            """))
        {
            SqlValues.Add(claim, now, now + (_options.RequestTimeout * 3), SendBatch);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.GetInt32(3), reader.GetString(4), reader.GetString(5)));
            }
        }

        await Task.WhenAll(due.OrderBy(d => d.Id).Select(d => SendOneAsync(d, cancellationToken)));
        return due.Count;
    }

    private async Task SendOneAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add(WebhookSignature.HeaderName,
                WebhookSignature.Create(delivery.Secret, timestamp, delivery.Payload));
            request.Headers.Add("Gateway-Event", delivery.EventKind);
            request.Headers.Add("Gateway-Delivery",
                delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Gateway-Webhooks", "1"));

            using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
                cancellationToken);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {status} {response.ReasonPhrase}";
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or WebhookTargetRefusedException
                                       && !cancellationToken.IsCancellationRequested)
        {
            error = (ex.InnerException as WebhookTargetRefusedException)?.Message ?? ex.Message;
        }

        await RecordAsync(delivery, status, error, cancellationToken);
    }

    private async Task RecordAsync(DueDelivery delivery, int? status, string? error, CancellationToken token)
    {
        var now = time.GetUtcNow();
        var attempts = delivery.AttemptCount + 1;
        var state = error is null ? WebhookDeliveryState.Delivered
            : attempts >= _options.MaxAttempts ? WebhookDeliveryState.Failed
            : WebhookDeliveryState.Pending;
        var next = state == WebhookDeliveryState.Pending ? now + Backoff(attempts) : now;

        await using var update = dataSource.CreateCommand(
            """
            UPDATE webhook_deliveries
            SET state = $2, attempt_count = $3, next_attempt_at = $4, locked_until = NULL, last_status_code = $5,
                last_error = $6, completed_at = $7
            WHERE id = $1
            """);
        SqlValues.Add(update, delivery.Id, state.ToString(), attempts, next, status,
            error is { Length: > 1000 } ? error[..1000] : error,
            state == WebhookDeliveryState.Pending ? null : now);
        await update.ExecuteNonQueryAsync(token);

        if (state == WebhookDeliveryState.Delivered)
        {
            WebhookLog.Delivered(logger, delivery.Id, delivery.Url, status ?? 0);
        }
        else if (state == WebhookDeliveryState.Failed)
        {
            WebhookLog.GaveUp(logger, delivery.Id, delivery.Url, attempts, error ?? string.Empty);
        }
        else
        {
            WebhookLog.AttemptFailed(logger, delivery.Id, delivery.Url, attempts, error ?? string.Empty);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var delay = _options.FirstRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private sealed record DueDelivery(
        long Id,
        string EventKind,
        string Payload,
        int AttemptCount,
        string Url,
        string Secret);
}
