using Gateway.Api.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Gateway.Api.Operations;

public static class OperationsEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// In a process without the web role, answers 404 for everything but health and metrics, which every process
    /// serves on its HTTP endpoint so that each can be probed and scraped.
    /// </summary>
    public static IApplicationBuilder UseGatewayRoles(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        return app.Use((context, next) =>
        {
            if (GatewayRoles.From(configuration).Web || IsOperationsPath(context.Request.Path))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and the Prometheus endpoint <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapGatewayOperations(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process runs and answers HTTP; nothing external is checked, so a database outage never gets
        // a healthy process restarted.
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(OperationsServices.ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        // Resolving the gauges creates them; they live as long as the container.
        endpoints.ServiceProvider.GetRequiredService<Core.Telemetry.QueueGauges>();
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }

    private static bool IsOperationsPath(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
}
