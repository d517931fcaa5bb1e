using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gateway.Tests.Api;

public sealed class OpenApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Document_ParsesAndListsEveryApiEndpoint()
    {
        using var client = host.Client();

        using var response = await client.GetAsync("/openapi/v1.json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject();

        var endpoints = host.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => (Path: Normalize(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .Distinct()
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.", (string)document["openapi"]!, StringComparison.Ordinal);
        Assert.True(endpoints.Count >= 17);
        foreach (var (path, method) in endpoints)
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the document");
            Assert.NotNull(paths[path]![method]);
        }

        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["ApiKey"]!["scheme"]!);
        Assert.NotNull(paths["/api/v1/messages"]!["post"]!["requestBody"]!["content"]!["message/rfc822"]);
    }

    // "No endpoint is reachable without a key except health": a script without a key gets 401, a browser without a
    // session is sent to sign in and brought back to the reference page.
    [Fact]
    public async Task DocumentAndReference_WithoutKeyOrSession_AreRefused()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = host.Gateway.BaseAddress,
        };

        using var document = await anonymous.GetAsync("/openapi/v1.json");
        using var reference = await anonymous.GetAsync("/api/reference/");
        using var script = await anonymous.GetAsync("/api/reference/scalar.js");

        Assert.Equal(HttpStatusCode.Unauthorized, document.StatusCode);
        Assert.Equal("Bearer", document.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Redirect, reference.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, script.StatusCode);
        Assert.StartsWith("/signin?ReturnUrl=%2Fapi%2Freference", reference.Headers.Location?.PathAndQuery,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferencePage_RendersWithoutAnyRequestBeyondTheGateway()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        // The key goes with every request of the page, as a signed-in operator's cookie would.
        var page = await browser.NewPageAsync(new()
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {host.AdminToken}" },
        });
        var foreign = new List<string>();
        var origin = host.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal) ||
                route.Request.Url.StartsWith("data:", StringComparison.Ordinal) ||
                route.Request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                // Never let the browser leave the machine; record the attempt instead.
                foreign.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });

        await page.GotoAsync($"{origin}/api/reference", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.GetByText("ListMessages").Or(page.GetByText("Lists messages newest first")).First)
            .ToBeVisibleAsync(new() { Timeout = 20_000 });

        Assert.Empty(foreign);
    }

    private static string Normalize(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{([^}:]+)(:[^}]*)?\}", "{$1}")
            is { Length: > 0 } p
            ? p
            : "/";
}
