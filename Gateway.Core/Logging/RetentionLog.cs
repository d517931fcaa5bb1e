using Microsoft.Extensions.Logging;

namespace Gateway.Core.Logging;

internal static partial class RetentionLog
{
    [LoggerMessage(EventId = GatewayEventId.RetentionSwept, Level = LogLevel.Information,
        Message = "Retention: purged {BodiesPurged} message bodies, deleted {MessagesDeleted} messages, " +
                  "forgot {KeysForgotten} idempotency keys")]
    public static partial void Swept(ILogger logger, int bodiesPurged, int messagesDeleted, int keysForgotten);

    [LoggerMessage(EventId = GatewayEventId.RetentionFailed, Level = LogLevel.Error,
        Message = "Retention sweep failed; trying again next interval")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
