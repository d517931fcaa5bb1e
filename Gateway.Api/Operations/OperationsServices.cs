using Gateway.Api.Hosting;
using Gateway.Core.Retention;
using Gateway.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Api.Operations;

/// <summary>
/// What an operator needs around the gateway: metrics (OpenTelemetry, scraped by Prometheus at /metrics), traces,
/// health checks, the retention job. See docs/operations.md.
/// </summary>
public static class OperationsServices
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddGatewayOperations(
        this IServiceCollection services,
        IConfiguration configuration)
    {
        services.AddSingleton<QueueStatistics>();
        services.AddSingleton(sp => new CachedQueueSnapshot(sp.GetRequiredService<QueueStatistics>(),
            sp.GetRequiredService<TimeProvider>())
        {
            RefreshInterval = configuration.GetValue("Gateway:Metrics:QueueRefreshInterval", TimeSpan.FromSeconds(5)),
        });
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<QueueGauges>();

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("gateway"))
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "Npgsql")
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTelemetry.ActivitySourceName);

                // The standard OTEL_EXPORTER_OTLP_* variables configure the exporter; without an endpoint, traces
                // are only seen by in-process listeners.
                if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    tracing.AddOtlpExporter();
                }
            });

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<ListenersHealthCheck>("listeners", tags: [ReadyTag]);
        services.AddSingleton<MigrationsHealthCheck>();

        services.Configure<RetentionOptions>(configuration.GetSection("Gateway:Retention"));
        services.AddSingleton<RetentionSweeper>();
        services.AddRoleHostedService<RetentionJob>(roles => roles.Relay);
        services.AddHostedService<RolesAnnouncer>();
        return services;
    }
}
