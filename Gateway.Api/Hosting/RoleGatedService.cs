namespace Gateway.Api.Hosting;

/// <summary>
/// Runs a hosted service only in processes whose <see cref="GatewayRoles"/> include its role. The roles are read
/// when the host starts, so settings from every configuration source (a test host's included) are seen.
/// </summary>
public sealed class RoleGatedService<TService>(
    IServiceProvider services,
    IConfiguration configuration,
    Func<GatewayRoles, bool> runsIn) : IHostedService
    where TService : class, IHostedService
{
    private TService? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!runsIn(GatewayRoles.From(configuration)))
        {
            return Task.CompletedTask;
        }

        _service = services.GetRequiredService<TService>();
        return _service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
