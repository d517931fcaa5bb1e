using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Logging;

internal static partial class SessionLog
{
    [LoggerMessage(EventId = GatewayEventId.SessionStarted, Level = LogLevel.Debug,
        Message = "Session {SessionId} connected from {ClientAddress}")]
    public static partial void SessionStarted(ILogger logger, string sessionId, System.Net.IPAddress clientAddress);

    [LoggerMessage(EventId = GatewayEventId.SessionEnded, Level = LogLevel.Debug,
        Message = "Session {SessionId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string sessionId, Session.SessionEndReason reason);

    [LoggerMessage(EventId = GatewayEventId.CommandRejected, Level = LogLevel.Debug,
        Message = "Session {SessionId} replied {ReplyCode} to {Verb}")]
    public static partial void CommandRejected(ILogger logger, string sessionId, string verb, int replyCode);

    [LoggerMessage(EventId = GatewayEventId.SessionFaulted, Level = LogLevel.Error,
        Message = "Session {SessionId} failed")]
    public static partial void SessionFaulted(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = GatewayEventId.EarlyTalker, Level = LogLevel.Information,
        Message = "Session {SessionId} from {ClientAddress} sent data before the greeting and was refused")]
    public static partial void EarlyTalker(ILogger logger, string sessionId, System.Net.IPAddress clientAddress);

    [LoggerMessage(EventId = GatewayEventId.ConnectionRefused, Level = LogLevel.Information,
        Message = "Connection from {ClientAddress} refused: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, System.Net.IPAddress clientAddress, string reason);

    [LoggerMessage(EventId = GatewayEventId.ChunkReceived, Level = LogLevel.Debug,
        Message = "Session {SessionId} received a BDAT chunk of {ChunkSize} octets, {TotalSize} so far")]
    public static partial void ChunkReceived(ILogger logger, string sessionId, long chunkSize, long totalSize);

    [LoggerMessage(EventId = GatewayEventId.MessageQueued, Level = LogLevel.Information,
        Message = "Session {SessionId} queued {QueueId}: from=<{ReversePath}> nrcpt={RecipientCount} size={Size}")]
    public static partial void MessageQueued(ILogger logger, string sessionId, string queueId, string reversePath,
        int recipientCount, int size);

    [LoggerMessage(EventId = GatewayEventId.MessageNotQueued, Level = LogLevel.Information,
        Message = "Session {SessionId} refused a message: {ReplyCode} {EnhancedCode}")]
    public static partial void MessageNotQueued(ILogger logger, string sessionId, int replyCode, string? enhancedCode);
}
