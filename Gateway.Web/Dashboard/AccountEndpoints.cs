using System.Security.Claims;
using Gateway.Core.Audit;
using Gateway.Core.Operators;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gateway.Web.Dashboard;

/// <summary>
/// Sign-in and sign-out as plain form posts. The sign-in page is static server rendering, so the cookie is set on
/// an ordinary HTTP reply; binding from a form makes the antiforgery middleware check the token.
/// </summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapDashboardAccount(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/account/signin", SignInAsync).AllowAnonymous();
        routes.MapPost("/account/signout", SignOutAsync).RequireAuthorization(DashboardRoles.OperatorPolicy);
        return routes;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm(Name = "name")] string? name,
        [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl,
        HttpContext http,
        OperatorService operators,
        AuditLog audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(AccountEndpoints));
        var remote = http.Connection.RemoteIpAddress?.ToString();
        name = name?.Trim() ?? string.Empty;
        var result = await operators.SignInAsync(name, password ?? string.Empty, cancellationToken);
        var local = LocalPath(returnUrl);
        if (result.Status != OperatorSignInStatus.Succeeded || result.Operator is not { } account)
        {
            var locked = result.Status == OperatorSignInStatus.LockedOut;
            if (locked)
            {
                DashboardLog.LockedOut(logger, name, remote);
            }
            else
            {
                DashboardLog.SignInFailed(logger, name, remote);
            }

            var error = locked ? "locked" : "invalid";
            return Results.LocalRedirect($"/signin?error={error}&returnUrl={Uri.EscapeDataString(local)}");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Name),
                new Claim(ClaimTypes.Role, DashboardRoles.Of(account.Role)),
                new Claim(DashboardSetup.SessionStampClaim, OperatorService.SessionStamp(account)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        await audit.RecordAsync(account.Name, "sign in", null, remote, cancellationToken);
        DashboardLog.SignedIn(logger, account.Name, remote);
        return Results.LocalRedirect(local);
    }

    private static async Task<IResult> SignOutAsync(
        HttpContext http,
        AuditLog audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var name = http.User.Identity?.Name ?? "unknown";
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        await audit.RecordAsync(name, "sign out", null, null, cancellationToken);
        DashboardLog.SignedOut(loggers.CreateLogger(typeof(AccountEndpoints)), name);
        return Results.LocalRedirect("/signin");
    }

    // Only a path on this site: "//host" and "/\host" are other sites to a browser.
    private static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || url[1] is not '/' and not '\\')
            ? url
            : "/";
}
