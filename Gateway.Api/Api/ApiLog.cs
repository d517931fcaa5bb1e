using Gateway.Core.Logging;

namespace Gateway.Api.Api;

internal static partial class ApiLog
{
    [LoggerMessage(EventId = GatewayEventId.ApiKeyCreated, Level = LogLevel.Information,
        Message = "API key {Prefix} ({Name}) created with scopes {Scopes} by {Actor}")]
    public static partial void KeyCreated(ILogger logger, string prefix, string name, string scopes, string actor);

    [LoggerMessage(EventId = GatewayEventId.ApiKeyRevoked, Level = LogLevel.Information,
        Message = "API key {KeyId} revoked by {Actor}")]
    public static partial void KeyRevoked(ILogger logger, Guid keyId, string actor);

    [LoggerMessage(EventId = GatewayEventId.OperatorActionApplied, Level = LogLevel.Information,
        Message = "{Actor} applied {Action}: {Changed} of {Matched} recipients changed, {InFlight} in flight")]
    public static partial void ActionApplied(
        ILogger logger, string actor, string action, int changed, int matched, int inFlight);

    [LoggerMessage(EventId = GatewayEventId.MessageSubmitted, Level = LogLevel.Information,
        Message = "Message {QueueId} submitted over HTTP by {Actor} for {RecipientCount} recipients")]
    public static partial void MessageSubmitted(ILogger logger, Guid queueId, string actor, int recipientCount);

    [LoggerMessage(EventId = GatewayEventId.ApiKeyRejected, Level = LogLevel.Information,
        Message = "A request from {ClientAddress} presented an unknown or revoked API key")]
    public static partial void KeyRejected(ILogger logger, string clientAddress);
}
