using Gateway.Core.Ingest;
using Gateway.Core.Persistence;
using Gateway.Core.Queue;
using Gateway.Smtp;
using Gateway.Smtp.Relay;
using Gateway.Smtp.Transport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Api.Hosting;

public static class GatewayServices
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseEndpoint>();
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<DatabaseEndpoint>().ConnectionString)
            .Build());
        services.AddDbContext<GatewayDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());

        // Order matters: hosted services start in registration order, all before Kestrel opens its listeners.
        services.AddHostedService<DatabaseMigrator>();

        services.Configure<SmtpOptions>(configuration.GetSection("Gateway:Smtp"));
        services.Configure<IngestOptions>(configuration.GetSection("Gateway:Ingest"));
        services.Configure<RelayOptions>(configuration.GetSection("Gateway:Relay"));
        services.AddSingleton<TrustedNetworks>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<ShutdownGrace>();

        services.AddSingleton<GroupCommitIngestor>();
        services.AddSingleton<IMessageIngestor>(sp => sp.GetRequiredService<GroupCommitIngestor>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitIngestor>());

        services.AddSingleton<RelayQueue>();
        services.AddRoleHostedService<RelayWorker>(roles => roles.Relay);
        return services;
    }
}
