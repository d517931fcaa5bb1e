using Microsoft.Extensions.Logging;

namespace Gateway.Core.Logging;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = GatewayEventId.BatchCommitted, Level = LogLevel.Debug,
        Message = "Committed {Count} messages in one transaction in {ElapsedMs} ms")]
    public static partial void BatchCommitted(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(EventId = GatewayEventId.BatchFailed, Level = LogLevel.Warning,
        Message = "A batch of {Count} messages failed to commit; retrying them one by one")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = GatewayEventId.MessageCommitFailed, Level = LogLevel.Error,
        Message = "Message {QueueId} could not be committed; the client gets a temporary failure")]
    public static partial void MessageCommitFailed(ILogger logger, Guid queueId, Exception exception);

}
