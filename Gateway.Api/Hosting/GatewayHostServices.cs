using Gateway.Api.Operations;
using Gateway.Web.Dashboard;

namespace Gateway.Api.Hosting;

/// <summary>
/// Every service of the gateway's process: the core, operations, the REST API and the dashboard. The server and
/// the command-line tools register the same set, so a command sees the services exactly as the server does.
/// </summary>
public static class GatewayHostServices
{
    public static IServiceCollection AddGatewayHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGateway(configuration);
        services.AddGatewayOperations(configuration);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddGatewayApi(configuration);
        services.AddGatewayDashboard(configuration);
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }
}
