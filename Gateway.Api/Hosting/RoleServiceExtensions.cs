namespace Gateway.Api.Hosting;

public static class RoleServiceExtensions
{
    /// <summary>Registers a hosted service that runs only in processes with the given role.</summary>
    public static IServiceCollection AddRoleHostedService<TService>(
        this IServiceCollection services,
        Func<GatewayRoles, bool> runsIn)
        where TService : class, IHostedService
    {
        services.AddSingleton<TService>();
        services.AddHostedService(sp => new RoleGatedService<TService>(sp, sp.GetRequiredService<IConfiguration>(),
            runsIn));
        return services;
    }
}
