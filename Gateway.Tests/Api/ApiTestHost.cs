using System.Net.Http.Headers;
using Gateway.Core.ApiKeys;
using Gateway.Core.Domain;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

/// <summary>A gateway on its own database, with an all-scopes key, for the API tests of one class.</summary>
public sealed class ApiTestHost : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;

    public ApiTestHost()
        : this(new Dictionary<string, string?>())
    {
    }

    private ApiTestHost(Dictionary<string, string?> settings) => _settings = settings;

    public GatewayHost Gateway { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public string AdminToken { get; private set; } = null!;

    public static ApiTestHost With(Dictionary<string, string?> settings) => new(settings);

    public async Task InitializeAsync()
    {
        ConnectionString = await SharedPostgres.NewDatabaseAsync();
        var settings = new Dictionary<string, string?>(_settings)
        {
            ["Gateway:Webhooks:AllowPrivateTargets"] = "true",
            ["Gateway:Webhooks:PollInterval"] = "00:00:00.100",
            ["Gateway:Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["Gateway:Webhooks:MaxRetryDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        Gateway = GatewayHost.Start(ConnectionString, settings);
        AdminToken = await CreateKeyAsync("admin", ApiScope.Read | ApiScope.Send | ApiScope.Manage);
    }

    public async Task<string> CreateKeyAsync(string name, ApiScope scopes, params string[] allowedSenders)
    {
        await using var scope = Gateway.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        return (await keys.CreateAsync(name, scopes, allowedSenders, "test", CancellationToken.None)).Token;
    }

    public HttpClient Client(string? token = null)
    {
        var client = Gateway.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        return client;
    }

    public Task DisposeAsync()
    {
        Gateway?.Dispose();
        return Task.CompletedTask;
    }
}
