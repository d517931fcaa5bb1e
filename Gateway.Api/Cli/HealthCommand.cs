using Gateway.Api.Hosting;
using Gateway.Api.Operations;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Api.Cli;

/// <summary>
/// Probes a running gateway's health endpoint over HTTP and exits 0 when it answers 200: a container health check
/// for images without curl. The address is the first of <c>Urls</c>, with a wildcard host taken as loopback.
/// </summary>
public sealed class HealthCommand : ICliCommand
{
    public string Name => "health";

    public string Summary => "[live|ready] probes the running gateway's /health endpoint; exit code 0 when healthy";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var path = arguments.Contains("live") ? OperationsEndpoints.LivePath : OperationsEndpoints.ReadyPath;
        var configuration = context.Services.GetRequiredService<IConfiguration>();
        var first = (configuration["Urls"] ?? ListenerSetup.DefaultUrls).Split(';')[0].Trim();
        var address = BindingAddress.Parse(first);
        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" ? "127.0.0.1" : address.Host;
        var url = UriHelper.BuildAbsolute(address.Scheme, new HostString(host, address.Port), path: path);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            await context.Output.WriteLineAsync(await response.Content.ReadAsStringAsync(cancellationToken));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException ex)
        {
            await context.Error.WriteLineAsync($"health: {url}: {ex.Message}");
            return 1;
        }
    }
}
