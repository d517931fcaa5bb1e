using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

public sealed class UsersApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task User_CreatedUpdatedAndDisabled_ThroughTheApi()
    {
        using var client = host.Client();
        var name = $"app-{Guid.NewGuid():N}"[..20];

        using var created = await client.PostAsync("/api/v1/users", JsonContent.Create(new
        {
            name, password = Password, allowedSenders = new[] { "@shop.test" }, messagesPerMinute = 10,
        }));
        using var limits = await client.PutAsync($"/api/v1/users/{name}/limits",
            JsonContent.Create(new { messagesPerMinute = 5, messagesPerDay = 100 }));
        using var senders = await client.PutAsync($"/api/v1/users/{name}/senders",
            JsonContent.Create(new { allowedSenders = new[] { "orders@shop.test" } }));
        using var password = await client.PostAsync($"/api/v1/users/{name}/password",
            JsonContent.Create(new { password = "another long password" }));
        var user = await client.GetFromJsonAsync<JsonNode>($"/api/v1/users/{name}");
        var newPasswordWorks = await VerifyAsync(name, "another long password");
        using var disabled = await client.PostAsync($"/api/v1/users/{name}/disable", null);
        var afterDisable = await VerifyAsync(name, "another long password");
        var listed = await client.GetStringAsync("/api/v1/users");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, limits.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, senders.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, password.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(5, (int)user!["messagesPerMinute"]!);
        Assert.Equal(100, (int)user["messagesPerDay"]!);
        Assert.Equal("orders@shop.test", (string)user["allowedSenders"]![0]!);
        Assert.True(newPasswordWorks);
        Assert.False(afterDisable);
        Assert.Contains(name, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("passwordHash", listed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task User_WithShortPassword_AnswersValidationProblem()
    {
        using var client = host.Client();

        using var response = await client.PostAsync("/api/v1/users",
            JsonContent.Create(new { name = "shorty", password = "short" }));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body["errors"]!["user"]);
    }

    [Fact]
    public async Task UnknownUser_Answers404Problem()
    {
        using var client = host.Client();

        using var response = await client.PostAsync("/api/v1/users/nobody-here/disable", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<bool> VerifyAsync(string name, string password)
    {
        await using var scope = host.Gateway.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<SmtpUserService>();
        return await users.VerifyCredentialsAsync(name, password, CancellationToken.None) is not null;
    }
}
