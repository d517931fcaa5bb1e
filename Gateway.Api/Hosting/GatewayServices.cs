using System.Data.Common;
using Gateway.Core.Ingest;
using Gateway.Core.Persistence;
using Gateway.Core.Queue;
using Gateway.Core.Users;
using Gateway.Smtp;
using Gateway.Smtp.Relay;
using Gateway.Smtp.Relay.Notices;
using Gateway.Smtp.Relay.Routing;
using Gateway.Smtp.Security;
using Gateway.Smtp.Transport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Api.Hosting;

public static class GatewayServices
{
    // Room for the hot statements of ingest and relay and the API's most frequent queries.
    private const int AutoPreparedStatements = 32;

    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayDatabase();

        // Order matters: hosted services start in registration order, all before Kestrel opens its listeners.
        services.AddHostedService<DatabaseMigrator>();

        services.Configure<SmtpOptions>(configuration.GetSection("Gateway:Smtp"));
        services.Configure<IngestOptions>(configuration.GetSection("Gateway:Ingest"));
        services.Configure<RelayOptions>(configuration.GetSection("Gateway:Relay"));
        services.AddSingleton<TrustedNetworks>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<ShutdownGrace>();
        services.AddSmtpSecurity(configuration);

        services.AddSingleton<GroupCommitIngestor>();
        services.AddSingleton<IMessageIngestor>(sp => sp.GetRequiredService<GroupCommitIngestor>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitIngestor>());

        services.AddSingleton<RelayQueue>();
        services.AddSingleton<MxResolver>();
        services.AddSingleton<NextHopRouter>();
        services.AddSingleton<DeliveryStatusNotifier>();
        services.AddRoleHostedService<RelayWorker>(roles => roles.Relay);
        return services;
    }

    /// <summary>The database (configured, or the private cluster) and the EF Core context over it.</summary>
    public static IServiceCollection AddGatewayDatabase(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseEndpoint>();
        services.AddSingleton(sp => BuildDataSource(sp.GetRequiredService<DatabaseEndpoint>().ConnectionString));
        services.AddDbContext<GatewayDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());
        return services;
    }

    // The statements run for every message (ingest, claim, record) are prepared once per connection by Npgsql's
    // automatic preparation, so PostgreSQL does not parse and plan them again each time (docs/benchmarks.md).
    // A connection string that sets Max Auto Prepare itself, 0 included, keeps its value.
    private static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var keys = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        if (!keys.Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal)
                .Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }

        return builder.Build();
    }

    /// <summary>SMTP users, AUTH, lockout and TLS certificates (docs/security.md).</summary>
    public static IServiceCollection AddSmtpSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SmtpTlsOptions>(configuration.GetSection("Gateway:Smtp:Tls"));
        services.Configure<SmtpAuthOptions>(configuration.GetSection("Gateway:Smtp:Auth"));
        services.AddSmtpUsers();
        services.AddSingleton<AuthenticationGuard>();
        services.AddSingleton<SmtpAuthenticator>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TlsCertificateProvider>(sp,
            sp.GetRequiredService<IConfiguration>()["Gateway:DataDirectory"] ?? "data"));
        services.AddSingleton<ConnectionSecurity>();
        return services;
    }

    /// <summary>The user store alone: what the <c>users</c> command needs.</summary>
    public static IServiceCollection AddSmtpUsers(this IServiceCollection services)
    {
        services.AddSingleton(_ => new SmtpPasswordHasher());
        services.AddScoped<SmtpUserService>();
        return services;
    }
}
