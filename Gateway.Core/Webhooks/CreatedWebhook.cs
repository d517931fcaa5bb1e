using Gateway.Core.Domain;

namespace Gateway.Core.Webhooks;

/// <summary>A new subscription; <see cref="WebhookSubscription.Secret"/> is returned to the caller this once.</summary>
public sealed record CreatedWebhook(WebhookSubscription Subscription);
