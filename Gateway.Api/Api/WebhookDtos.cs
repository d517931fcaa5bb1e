using Gateway.Core.Domain;

namespace Gateway.Api.Api;

/// <summary>A new webhook subscription.</summary>
/// <param name="Url">An http:// or https:// URL that receives each event as a signed JSON POST.</param>
/// <param name="EventKinds">Kinds to deliver (Received, Delivered, Deferred, ...); empty or absent means all.</param>
/// <param name="Secret">The HMAC-SHA256 key; generated when absent.</param>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? EventKinds, string? Secret);

/// <summary>A subscription as listed (without its secret).</summary>
public sealed record WebhookDto(Guid Id, string Url, IReadOnlyList<string> EventKinds, bool Enabled,
    DateTimeOffset CreatedAt)
{
    public static WebhookDto From(WebhookSubscription s) => new(s.Id, s.Url, s.EventKinds, s.Enabled, s.CreatedAt);
}

/// <summary>A new subscription and its signing secret, shown only in this reply.</summary>
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

/// <summary>One row of a subscription's delivery log.</summary>
public sealed record WebhookDeliveryDto(
    long Id,
    long EventId,
    string EventKind,
    WebhookDeliveryState State,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static WebhookDeliveryDto From(WebhookDelivery d) => new(d.Id, d.EventId, d.EventKind, d.State,
        d.AttemptCount, d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : null, d.LastStatusCode,
        d.LastError, d.CreatedAt, d.CompletedAt);
}
