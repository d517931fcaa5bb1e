using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Web.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = GatewayEventId.FirstAdminCreated, Level = LogLevel.Warning,
        Message = "Created the first dashboard operator: sign in at {SignInUrl} as '{Name}' with password " +
                  "'{Password}'. This password is shown once; set Gateway:Dashboard:AdminPassword to choose it")]
    public static partial void FirstAdminCreatedWithPassword(ILogger logger, string signInUrl, string name,
        string password);

    [LoggerMessage(EventId = GatewayEventId.FirstAdminCreated, Level = LogLevel.Information,
        Message = "Created the first dashboard operator '{Name}' with the password from " +
                  "Gateway:Dashboard:AdminPassword; sign in at {SignInUrl}")]
    public static partial void FirstAdminCreatedFromConfiguration(ILogger logger, string name, string signInUrl);

    [LoggerMessage(EventId = GatewayEventId.OperatorSignedIn, Level = LogLevel.Information,
        Message = "Operator {Name} signed in from {RemoteAddress}")]
    public static partial void SignedIn(ILogger logger, string name, string? remoteAddress);

    [LoggerMessage(EventId = GatewayEventId.OperatorSignInFailed, Level = LogLevel.Information,
        Message = "Dashboard sign-in as {Name} from {RemoteAddress} failed")]
    public static partial void SignInFailed(ILogger logger, string name, string? remoteAddress);

    [LoggerMessage(EventId = GatewayEventId.OperatorLockedOut, Level = LogLevel.Warning,
        Message = "Dashboard sign-in as {Name} from {RemoteAddress} refused: the account is locked")]
    public static partial void LockedOut(ILogger logger, string name, string? remoteAddress);

    [LoggerMessage(EventId = GatewayEventId.OperatorSignedOut, Level = LogLevel.Information,
        Message = "Operator {Name} signed out")]
    public static partial void SignedOut(ILogger logger, string name);

    [LoggerMessage(EventId = GatewayEventId.OperatorActionRefused, Level = LogLevel.Warning,
        Message = "Refused '{Action}' on {Target} to {Name}: only enabled admins may act")]
    public static partial void ActionRefused(ILogger logger, string action, string? target, string? name);

    [LoggerMessage(EventId = GatewayEventId.OperatorActionTaken, Level = LogLevel.Information,
        Message = "Operator {Name} did '{Action}' on {Target}: {Summary}")]
    public static partial void ActionTaken(ILogger logger, string name, string action, string? target,
        string summary);
}
