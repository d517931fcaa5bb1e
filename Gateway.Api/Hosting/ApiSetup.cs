using Microsoft.AspNetCore.Authentication;
using Gateway.Api.Api;
using Gateway.Api.Api.Auth;
using Gateway.Api.Api.Send;
using Gateway.Core.ApiKeys;
using Gateway.Core.Events;
using Gateway.Core.Operations;
using Gateway.Core.Webhooks;
using Scalar.AspNetCore;

namespace Gateway.Api.Hosting;

/// <summary>The REST API: its services, its authentication, its endpoints and its reference documentation.</summary>
public static class ApiSetup
{
    public const string ReferencePath = "/api/reference";

    public static IServiceCollection AddGatewayApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiOptions>(configuration.GetSection("Gateway:Api"));
        services.Configure<WebhookOptions>(configuration.GetSection("Gateway:Webhooks"));
        services.AddScoped<ApiKeyService>();
        services.AddScoped<OperatorActions>();
        services.AddScoped<WebhookService>();
        services.AddScoped<IdempotencyStore>();
        services.AddSingleton<EventFeed>();
        services.AddHostedService<ApiKeyBootstrap>();
        services.AddHostedService<WebhookDispatcher>();

        // The API's own scheme; the dashboard adds its cookie scheme beside it, and neither is the other's fallback.
        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null)
            .AddPolicyScheme(ApiKeyDefaults.DocsScheme, null, options => options.ForwardDefaultSelector = DocsScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.DocsPolicy, p => p.AddAuthenticationSchemes(ApiKeyDefaults.DocsScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiKeyDefaults.ReadPolicy, p => RequireScope(p, "read"))
            .AddPolicy(ApiKeyDefaults.SendPolicy, p => RequireScope(p, "send"))
            .AddPolicy(ApiKeyDefaults.ManagePolicy, p => RequireScope(p, "manage"));

        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityTransformer>());
        return services;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        // Like every endpoint but health, the API's description needs a caller: a key, or a signed-in operator.
        // Scalar marks its own script files anonymous, which endpoint authorization cannot override; this check in
        // front of them covers everything under the reference path.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ReferencePath), branch => branch.Use(
            async (context, next) =>
            {
                var result = await context.AuthenticateAsync(ApiKeyDefaults.DocsScheme);
                if (!result.Succeeded)
                {
                    await context.ChallengeAsync(ApiKeyDefaults.DocsScheme);
                    return;
                }

                await next(context);
            }));
        app.MapOpenApi().RequireAuthorization(ApiKeyDefaults.DocsPolicy);
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Gateway API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent())
            .RequireAuthorization(ApiKeyDefaults.DocsPolicy);

        app.MapMessagesApi();
        app.MapSendApi();
        app.MapEventsApi();
        app.MapOperationsApi();
        app.MapApiKeysApi();
        app.MapWebhooksApi();
        app.MapStatsApi();
        app.MapUsersApi();
        return app;
    }

    // A request with a key, or for the JSON document without a dashboard cookie, is the API key's to answer (401 for
    // a script without a key); otherwise the dashboard cookie's (a browser is sent to sign in and comes back).
    private static string DocsScheme(HttpContext context) =>
        context.Request.Headers.Authorization.Count > 0 ||
        (context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase) &&
         !context.Request.Cookies.ContainsKey(Gateway.Web.Dashboard.DashboardSetup.CookieName))
            ? ApiKeyDefaults.Scheme
            : Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme;

    private static void RequireScope(
        Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy,
        string scope) =>
        policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser()
            .RequireClaim(ApiKeyDefaults.ScopeClaim, scope);
}
