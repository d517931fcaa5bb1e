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
        using var client = host.Gateway.CreateHttpClient();

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
        var page = await browser.NewPageAsync();
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
