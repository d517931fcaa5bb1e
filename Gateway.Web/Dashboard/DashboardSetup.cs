using Gateway.Core.Audit;
using Gateway.Core.Operators;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Dashboard;

/// <summary>The dashboard's services, cookie authentication and endpoints, for the host to add (docs/dashboard.md).</summary>
public static class DashboardSetup
{
    public const string CookieName = ".Gateway.Dashboard";

    /// <summary>The claim holding <see cref="OperatorService.SessionStamp"/> from sign-in.</summary>
    public const string SessionStampClaim = "gateway:session-stamp";

    public static IServiceCollection AddGatewayDashboard(this IServiceCollection services,
        IConfiguration configuration)
    {
        services.Configure<DashboardOptions>(configuration.GetSection("Gateway:Dashboard"));
        services.Configure<OperatorLockoutOptions>(configuration.GetSection("Gateway:Dashboard"));
        services.AddScoped<OperatorService>();
        services.AddScoped<AuditLog>();
        services.AddScoped<DashboardData>();
        services.AddScoped<DashboardActions>();
        services.AddHostedService<OperatorBootstrap>();

        // The cookie is the default scheme so that the Blazor circuit sees the operator. The REST API's policies
        // name their own scheme, so a dashboard cookie never opens the API and an API key never opens a page.
        var lifetime = configuration.GetValue("Gateway:Dashboard:SessionLifetime", TimeSpan.FromHours(8));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.LogoutPath = "/account/signout";
                options.AccessDeniedPath = "/signin";
                options.ExpireTimeSpan = lifetime;
                options.SlidingExpiration = true;

                // Every request re-checks the operator: a disabled account, a reset password or a changed role
                // ends the sessions that were signed in before, instead of letting them run to their expiry. The
                // cost is one indexed query per request carrying the cookie; it is not cached (docs/dashboard.md).
                options.Events.OnValidatePrincipal = async context =>
                {
                    var name = context.Principal?.Identity?.Name;
                    var stamp = context.Principal?.FindFirst(SessionStampClaim)?.Value;
                    var operators = context.HttpContext.RequestServices.GetRequiredService<OperatorService>();
                    if (name is null || stamp is null ||
                        !await operators.IsSessionValidAsync(name, stamp, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(DashboardRoles.OperatorPolicy, policy => policy
            .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireRole(DashboardRoles.Admin, DashboardRoles.Viewer));
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider,
            SessionRevalidator>();
        return services;
    }

    /// <summary>Security headers on the dashboard's pages; call before the endpoints.</summary>
    public static IApplicationBuilder UseDashboardSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                DashboardHeaders.ApplyToPage(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    public static IEndpointRouteBuilder MapGatewayDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapDashboardAccount();
        routes.MapMessageContent();
        return routes;
    }
}
