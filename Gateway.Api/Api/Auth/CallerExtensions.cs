using System.Security.Claims;
using Gateway.Core.Domain;

namespace Gateway.Api.Api.Auth;

public static class CallerExtensions
{
    /// <summary>The name events and audit records carry for this caller, e.g. <c>apikey:deploy-bot</c>.</summary>
    public static string OperatorName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>The API key the request authenticated with.</summary>
    public static ApiKey ApiKey(this HttpContext context) =>
        context.Items[typeof(ApiKey)] as ApiKey
        ?? throw new InvalidOperationException("The request did not authenticate with an API key.");
}
