using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Logging;

internal static partial class RelayLog
{
    [LoggerMessage(EventId = GatewayEventId.ClaimedRecipients, Level = LogLevel.Debug,
        Message = "Worker {WorkerId} claimed {Count} recipients")]
    public static partial void ClaimedRecipients(ILogger logger, string workerId, int count);

    [LoggerMessage(EventId = GatewayEventId.RecipientDelivered, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}> relay={NextHop} delay={DelayMs}ms status=sent ({Reply})")]
    public static partial void Delivered(ILogger logger, string queueId, string recipient, string nextHop,
        double delayMs, string? reply);

    [LoggerMessage(EventId = GatewayEventId.RecipientDeferred, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}> relay={NextHop} status=deferred ({Reply}), next attempt {NextAttemptAt}")]
    public static partial void Deferred(ILogger logger, string queueId, string recipient, string nextHop,
        string? reply, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(EventId = GatewayEventId.RecipientFailed, Level = LogLevel.Warning,
        Message = "{QueueId}: to=<{Recipient}> relay={NextHop} status=failed ({Reply})")]
    public static partial void Failed(ILogger logger, string queueId, string recipient, string nextHop, string? reply);

    [LoggerMessage(EventId = GatewayEventId.RelayStarted, Level = LogLevel.Information,
        Message = "Relay started with {Loops} delivery loops: other domains go to smarthost {Smarthost}; " +
                  "{RouteCount} per-domain routes")]
    public static partial void StartedWithSmarthost(ILogger logger, int loops, string smarthost, int routeCount);

    [LoggerMessage(EventId = GatewayEventId.RelayStarted, Level = LogLevel.Information,
        Message = "Relay started with {Loops} delivery loops: no smarthost is configured, so other domains are " +
                  "delivered directly by MX (Gateway:Relay:Smarthost); {RouteCount} per-domain routes")]
    public static partial void StartedByMx(ILogger logger, int loops, int routeCount);

    [LoggerMessage(EventId = GatewayEventId.ResultRecordingRetried, Level = LogLevel.Warning,
        Message = "Recording the results of {Count} transactions failed; trying once more")]
    public static partial void RecordingRetried(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = GatewayEventId.ResultRecordingFailed, Level = LogLevel.Error,
        Message = "The results of {Count} transactions could not be recorded; their recipients will be sent " +
                  "again when their lease runs out")]
    public static partial void RecordingFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = GatewayEventId.RelayLoopFaulted, Level = LogLevel.Error,
        Message = "Relay worker {WorkerId} hit an error; retrying shortly")]
    public static partial void LoopFaulted(ILogger logger, string workerId, Exception exception);

    [LoggerMessage(EventId = GatewayEventId.NextHopUnreachable, Level = LogLevel.Information,
        Message = "Next hop {NextHop} could not be used: {Reason}")]
    public static partial void NextHopUnreachable(ILogger logger, string nextHop, string reason);

    [LoggerMessage(EventId = GatewayEventId.TlsFallback, Level = LogLevel.Information,
        Message = "Next hop {NextHop}: opportunistic TLS failed ({Reason}); sending in clear text")]
    public static partial void TlsFallback(ILogger logger, string nextHop, string reason);

    [LoggerMessage(EventId = GatewayEventId.NoticeQueued, Level = LogLevel.Information,
        Message = "{QueueId}: queued {Kind} notice {NoticeId} to <{ReversePath}>")]
    public static partial void NoticeQueued(ILogger logger, Guid queueId, string kind, Guid noticeId,
        string reversePath);
}
