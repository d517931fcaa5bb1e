using System.Security.Claims;
using Gateway.Core.Operators;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Dashboard;

/// <summary>
/// Re-checks an open page's operator while its interactive circuit lives: HTTP requests are checked by the cookie
/// handler, but an open tab makes none. When the operator is disabled, its password reset or its role changed, the
/// page's sign-in state is dropped within <see cref="DashboardOptions.SessionRevalidationInterval"/>, and the router
/// sends it to the sign-in page.
/// </summary>
public sealed class SessionRevalidator(
    ILoggerFactory loggers,
    IServiceScopeFactory scopes,
    IOptions<DashboardOptions> options) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionRevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState,
        CancellationToken cancellationToken)
    {
        var (name, stamp) = SessionOf(authenticationState.User);
        if (name is null || stamp is null)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OperatorService>()
            .IsSessionValidAsync(name, stamp, cancellationToken);
    }

    /// <summary>The operator's name and session stamp as signed in, or nulls for no session.</summary>
    public static (string? Name, string? Stamp) SessionOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? (user.Identity.Name, user.FindFirst(DashboardSetup.SessionStampClaim)?.Value)
            : (null, null);
}
