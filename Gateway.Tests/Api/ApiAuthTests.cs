using System.Net;
using System.Net.Http.Headers;
using Gateway.Core.Domain;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

public sealed class ApiAuthTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/messages" },
        { "GET", $"/api/v1/messages/{Guid.Empty}" },
        { "GET", $"/api/v1/messages/{Guid.Empty}/raw" },
        { "GET", $"/api/v1/messages/{Guid.Empty}/events" },
        { "POST", "/api/v1/messages" },
        { "GET", "/api/v1/events" },
        { "GET", "/api/v1/stats" },
        { "POST", $"/api/v1/messages/{Guid.Empty}/hold" },
        { "POST", $"/api/v1/messages/{Guid.Empty}/recipients/a@b.test/hold" },
        { "POST", "/api/v1/operations/hold" },
        { "GET", "/api/v1/keys" },
        { "POST", "/api/v1/keys" },
        { "DELETE", $"/api/v1/keys/{Guid.Empty}" },
        { "PUT", $"/api/v1/keys/{Guid.Empty}/limits" },
        { "GET", "/api/v1/webhooks" },
        { "POST", "/api/v1/webhooks" },
        { "DELETE", $"/api/v1/webhooks/{Guid.Empty}" },
        { "GET", $"/api/v1/webhooks/{Guid.Empty}/deliveries" },
        { "GET", "/api/v1/users" },
        { "POST", "/api/v1/users" },
        { "GET", "/api/v1/users/alice" },
        { "PUT", "/api/v1/users/alice/limits" },
        { "PUT", "/api/v1/users/alice/senders" },
        { "POST", "/api/v1/users/alice/password" },
        { "POST", "/api/v1/users/alice/disable" },
        { "POST", "/api/v1/users/alice/enable" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutKey_Answers401ProblemWithBearerChallenge(string method, string path)
    {
        using var client = host.Gateway.CreateHttpClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(401, (int)(await response.ReadJsonAsync())["status"]!);
    }

    [Fact]
    public async Task EveryApiRoute_IsCoveredByTheUnauthenticatedTheory()
    {
        var routes = host.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!)
            .Where(r => r.StartsWith("/api/v1", StringComparison.Ordinal))
            .Select(r => r.TrimEnd('/'))
            .Distinct()
            .ToList();

        var tested = Endpoints.Select(row => (string)row[1]).ToList();
        foreach (var route in routes)
        {
            var pattern = "^" + System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "[^/]+") + "$";
            Assert.Contains(tested, t => System.Text.RegularExpressions.Regex.IsMatch(t, pattern));
        }
    }

    [Fact]
    public async Task Request_WithUnknownKey_Answers401()
    {
        using var client = host.Client("gwk_00000000_" + new string('A', 43));

        using var response = await client.GetAsync("/api/v1/messages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithKeyInQueryString_Answers401()
    {
        using var client = host.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(
            $"/api/v1/messages?api_key={host.AdminToken}&access_token={host.AdminToken}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(host.AdminToken, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithBasicScheme_Answers401()
    {
        using var client = host.Gateway.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", host.AdminToken);

        using var response = await client.GetAsync("/api/v1/messages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ApiScope.Send, "GET", "/api/v1/messages")]
    [InlineData(ApiScope.Read, "POST", "/api/v1/messages")]
    [InlineData(ApiScope.Read, "GET", "/api/v1/keys")]
    [InlineData(ApiScope.Read | ApiScope.Send, "PUT", "/api/v1/keys/00000000-0000-0000-0000-000000000000/limits")]
    [InlineData(ApiScope.Read | ApiScope.Send, "POST", "/api/v1/operations/hold")]
    [InlineData(ApiScope.Read, "GET", "/api/v1/webhooks")]
    [InlineData(ApiScope.Manage, "GET", "/api/v1/events")]
    [InlineData(ApiScope.Read | ApiScope.Send, "GET", "/api/v1/users")]
    public async Task Request_WithoutTheScope_Answers403Problem(ApiScope scopes, string method, string path)
    {
        using var client = host.Client(await host.CreateKeyAsync("narrow", scopes));

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Key_CreatedOverApi_WorksOnceAndIsListedWithoutSecret()
    {
        using var admin = host.Client();

        using var created = await admin.PostAsync("/api/v1/keys", System.Net.Http.Json.JsonContent.Create(
            new { name = "reporting", scopes = new[] { "read" } }));
        var body = await created.ReadJsonAsync();
        var token = (string)body["key"]!;
        var id = (string)body["apiKey"]!["id"]!;
        using var reader = host.Client(token);
        using var allowed = await reader.GetAsync("/api/v1/stats");
        using var list = await admin.GetAsync("/api/v1/keys");
        var listed = await list.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith((string)body["apiKey"]!["prefix"]!, token, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.Contains("\"lastUsedAt\":\"", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_Revoked_Answers401()
    {
        using var admin = host.Client();
        using var created = await admin.PostAsync("/api/v1/keys", System.Net.Http.Json.JsonContent.Create(
            new { name = "short-lived", scopes = new[] { "read" } }));
        var body = await created.ReadJsonAsync();
        using var client = host.Client((string)body["key"]!);
        using var before = await client.GetAsync("/api/v1/stats");

        using var revoke = await admin.DeleteAsync($"/api/v1/keys/{(string)body["apiKey"]!["id"]!}");
        using var after = await client.GetAsync("/api/v1/stats");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task KeyCreation_WithUnknownScope_AnswersFieldLevelValidationProblem()
    {
        using var admin = host.Client();

        using var response = await admin.PostAsync("/api/v1/keys", System.Net.Http.Json.JsonContent.Create(
            new { name = "", scopes = new[] { "root" } }));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["name"]);
        Assert.NotNull(body["errors"]!["scopes"]);
    }

    [Fact]
    public async Task Body_OverTheLimit_Answers413Problem()
    {
        using var admin = host.Client();
        var name = new string('x', 2 * 1024 * 1024);

        using var response = await admin.PostAsync("/api/v1/keys", System.Net.Http.Json.JsonContent.Create(
            new { name, scopes = new[] { "read" } }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
