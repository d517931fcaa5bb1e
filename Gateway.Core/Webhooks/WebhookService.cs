using System.Buffers.Text;
using System.Security.Cryptography;
using Gateway.Core.Domain;
using Gateway.Core.Events;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Core.Webhooks;

/// <summary>Webhook subscriptions and their delivery logs, for the REST API and the dashboard.</summary>
public sealed class WebhookService(GatewayDbContext db, EventFeed feed, TimeProvider time)
{
    /// <summary>Field-level problems with a subscription request; empty when it is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(string? url, IReadOnlyList<string>? eventKinds)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors["url"] = ["An absolute http:// or https:// URL is required."];
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["url"] = ["Credentials in the URL are not accepted; verify the signature instead."];
        }

        var unknown = (eventKinds ?? []).Where(k => !Enum.TryParse<EventKind>(k, ignoreCase: false, out _)).ToList();
        if (unknown.Count > 0)
        {
            errors["eventKinds"] =
                [$"Unknown event kind(s) {string.Join(", ", unknown)}; use {string.Join(", ", Enum.GetNames<EventKind>())}."];
        }

        return errors;
    }

    /// <summary>Subscribes from now on: events already visible are not delivered, every later one is.</summary>
    public async Task<CreatedWebhook> CreateAsync(
        string url,
        IReadOnlyList<string> eventKinds,
        string? secret,
        CancellationToken cancellationToken)
    {
        var head = await feed.HeadAsync(cancellationToken);
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            Url = url,
            EventKinds = [.. eventKinds],
            Secret = string.IsNullOrEmpty(secret)
                ? "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))
                : secret,
            CreatedAt = time.GetUtcNow(),
            FeedTransaction = head.TransactionId,
            FeedEventId = head.EventId,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhook(subscription);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);

    public Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The newest deliveries of one subscription first, older than <paramref name="beforeId"/> if given.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(
        Guid subscriptionId,
        long? beforeId,
        int limit,
        CancellationToken cancellationToken)
    {
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId);
        if (beforeId is { } before)
        {
            deliveries = deliveries.Where(d => d.Id < before);
        }

        return await deliveries.OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
    }
}
