using System.Net;
using Gateway.Core.ApiKeys;
using Gateway.Core.Domain;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Api.Hosting;

/// <summary>
/// Runs after the migrator and before Kestrel opens: stores <see cref="ApiOptions.BootstrapKey"/> when there are
/// no keys yet, then refuses to start if the HTTP listener would bind a non-loopback address while no API key
/// exists: until then nobody could use the API from elsewhere, and nothing should be exposed.
/// </summary>
public sealed class ApiKeyBootstrap(
    IServiceScopeFactory scopes,
    IOptions<ApiOptions> options,
    IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var hasKeys = await keys.AnyActiveAsync(cancellationToken);
        if (!hasKeys && !string.IsNullOrEmpty(options.Value.BootstrapKey))
        {
            try
            {
                await keys.AddAsync("bootstrap", ApiScope.Read | ApiScope.Send | ApiScope.Manage, [], "configuration",
                    options.Value.BootstrapKey, cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException
                                               { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Several nodes with the same bootstrap key started at once; another one stored it first.
            }

            hasKeys = true;
        }

        var urls = configuration["Urls"] ?? ListenerSetup.DefaultUrls;
        var exposed = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(BindingAddress.Parse).Where(a => !IsLoopback(a.Host)).Select(a => a.ToString()).ToList();
        if (!hasKeys && exposed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Urls binds {string.Join(", ", exposed)} beyond loopback, but no API key exists yet. Create one " +
                "first (Gateway.Api apikeys create --name admin --scopes read,send,manage) or set " +
                "Gateway:Api:BootstrapKey, or keep Urls on 127.0.0.1.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
