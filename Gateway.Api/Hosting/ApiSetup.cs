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
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.ReadPolicy, p => RequireScope(p, "read"))
            .AddPolicy(ApiKeyDefaults.SendPolicy, p => RequireScope(p, "send"))
            .AddPolicy(ApiKeyDefaults.ManagePolicy, p => RequireScope(p, "manage"));

        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityTransformer>());
        return services;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Gateway API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent());

        app.MapMessagesApi();
        app.MapSendApi();
        app.MapEventsApi();
        app.MapOperationsApi();
        app.MapApiKeysApi();
        app.MapWebhooksApi();
        app.MapStatsApi();
        return app;
    }

    private static void RequireScope(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy, string scope) =>
        policy.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser()
            .RequireClaim(ApiKeyDefaults.ScopeClaim, scope);
}
