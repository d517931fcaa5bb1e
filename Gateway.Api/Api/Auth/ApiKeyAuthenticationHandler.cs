using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Core.ApiKeys;
using Gateway.Core.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Api.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>, and nothing else: a key in a query string or a
/// cookie is never looked at. Challenges and refusals answer with problem details (RFC 9457).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Only Bearer API keys are accepted.");
        }

        var key = await keys.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            ApiLog.KeyRejected(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key.Submitter),
            new(ApiKeyDefaults.KeyIdClaim, key.Id.ToString()),
        };
        claims.AddRange(Enum.GetValues<ApiScope>().Where(s => s != ApiScope.None && key.Scopes.HasFlag(s))
            .Select(s => new Claim(ApiKeyDefaults.ScopeClaim, s.ToString().ToLower(CultureInfo.InvariantCulture))));
        Context.Items[typeof(ApiKey)] = key;

        var identity = new ClaimsIdentity(claims, ApiKeyDefaults.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "An API key is required",
            "Send a valid, unrevoked key as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "The API key lacks a scope",
            "This endpoint needs a scope the key was not given; see docs/api.md for the scope of each endpoint.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
