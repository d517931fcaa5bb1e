using System.Net;
using System.Net.Http.Headers;
using Gateway.Api.Cli;
using Gateway.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Api;

public sealed class ApiKeyProvisioningTests
{
    [Fact]
    public async Task CliCreate_PrintsATokenThatAuthenticates()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        using var gateway = GatewayHost.Start(database);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ApiKeysCommand.RunAsync(gateway.Services,
            ["create", "--name", "first", "--scopes", "read,manage", "--per-day", "100"], output, error);
        var token = output.ToString().Split('\n', StringSplitOptions.TrimEntries)
            .Single(l => l.StartsWith("gwk_", StringComparison.Ordinal));
        using var client = gateway.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var keys = await client.GetAsync("/api/v1/keys");
        using var send = await client.PostAsync("/api/v1/messages", null);

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        var listed = (await keys.ReadJsonAsync()).AsArray().Single()!;
        Assert.Equal(100, (int)listed["messagesPerDay"]!);
        Assert.Null(listed["messagesPerMinute"]);
        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
    }

    [Fact]
    public async Task CliCreate_WithUnknownScope_FailsWithUsage()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        using var gateway = GatewayHost.Start(database);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ApiKeysCommand.RunAsync(gateway.Services,
            ["create", "--name", "x", "--scopes", "root"], output, error);
        var zeroLimit = await ApiKeysCommand.RunAsync(gateway.Services,
            ["create", "--name", "x", "--scopes", "send", "--per-minute", "0"], output, error);

        Assert.Equal(2, exit);
        Assert.Equal(2, zeroLimit);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task BootstrapKey_FromConfiguration_IsStoredWhenNoKeysExist()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        var bootstrap = "gwk_boot0000_" + new string('k', 40);
        using var gateway = GatewayHost.Start(database, new Dictionary<string, string?>
        {
            ["Gateway:Api:BootstrapKey"] = bootstrap,
        });
        using var client = gateway.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bootstrap);

        using var response = await client.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(bootstrap, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpOnAllInterfaces_IsRefusedUntilAKeyExists()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        using var gateway = GatewayHost.Start(database);
        var exposed = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = "http://0.0.0.0:8080" }).Build();
        var guard = new ApiKeyBootstrap(gateway.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ApiOptions()), exposed);

        // The guard runs before Kestrel binds; here it is called directly, so nothing listens beyond loopback.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => guard.StartAsync(CancellationToken.None));
        using var output = new StringWriter();
        await ApiKeysCommand.RunAsync(gateway.Services, ["create", "--name", "ops", "--scopes", "manage"], output,
            output);
        await guard.StartAsync(CancellationToken.None);

        Assert.Contains("no API key exists yet", refused.Message, StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null
            ? exception.Message
            : exception.Message + " " + Flatten(exception.InnerException);
}
