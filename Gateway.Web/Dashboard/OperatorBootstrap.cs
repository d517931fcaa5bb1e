using Gateway.Core.Operators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Dashboard;

/// <summary>
/// Creates the first admin on the first start (after the migrator, which is registered before it), so a fresh
/// gateway can be signed in to. Later starts find operators and do nothing, whatever the configuration says.
/// </summary>
internal sealed class OperatorBootstrap(
    IServiceScopeFactory scopes,
    IOptions<DashboardOptions> options,
    ILogger<OperatorBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var operators = scope.ServiceProvider.GetRequiredService<OperatorService>();
        var (created, generated) = await operators.EnsureFirstAdminAsync(options.Value.AdminPassword,
            cancellationToken);

        if (!created)
        {
            return;
        }

        if (generated is null)
        {
            DashboardLog.FirstAdminCreatedFromConfiguration(logger, OperatorService.FirstAdminName, "/signin");
        }
        else
        {
            DashboardLog.FirstAdminCreatedWithPassword(logger, "/signin", OperatorService.FirstAdminName, generated);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
