using Microsoft.Extensions.Logging;

namespace Gateway.Core.Logging;

internal static partial class WebhookLog
{
    [LoggerMessage(EventId = GatewayEventId.WebhookDelivered, Level = LogLevel.Debug,
        Message = "Webhook delivery {DeliveryId} to {Url} accepted with {StatusCode}")]
    public static partial void Delivered(ILogger logger, long deliveryId, string url, int statusCode);

    [LoggerMessage(EventId = GatewayEventId.WebhookAttemptFailed, Level = LogLevel.Information,
        Message = "Webhook delivery {DeliveryId} to {Url} failed (attempt {Attempt}): {Error}; will retry")]
    public static partial void AttemptFailed(ILogger logger, long deliveryId, string url, int attempt, string error);

    [LoggerMessage(EventId = GatewayEventId.WebhookGaveUp, Level = LogLevel.Warning,
        Message = "Webhook delivery {DeliveryId} to {Url} failed after {Attempt} attempts: {Error}")]
    public static partial void GaveUp(ILogger logger, long deliveryId, string url, int attempt, string error);

    [LoggerMessage(EventId = GatewayEventId.WebhookLoopFaulted, Level = LogLevel.Error,
        Message = "The webhook dispatcher loop failed; it retries at its next poll")]
    public static partial void LoopFaulted(ILogger logger, Exception exception);
}
