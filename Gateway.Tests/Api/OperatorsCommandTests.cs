using Gateway.Api.Cli;
using Gateway.Core.Operators;
using Gateway.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Api;

/// <summary>The <c>operators</c> command against a real database: add, sign in, list, passwd, disable.</summary>
public sealed class OperatorsCommandTests
{
    [Fact]
    public async Task AddListPasswdDisable_ActOnTheAccountsTheDashboardSignsIn()
    {
        await using var gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync());

        var add = await RunAsync(gateway, "a first long password\n", "add", "Olga", "--role", "admin");
        var signedIn = await SignInAsync(gateway, "olga", "a first long password");
        var passwd = await RunAsync(gateway, "a second long password\n", "passwd", "olga");
        var oldPassword = await SignInAsync(gateway, "olga", "a first long password");
        var newPassword = await SignInAsync(gateway, "olga", "a second long password");
        var disable = await RunAsync(gateway, string.Empty, "disable", "olga");
        var disabled = await SignInAsync(gateway, "olga", "a second long password");
        var list = await RunAsync(gateway, string.Empty, "list");

        Assert.Equal((0, "Added admin olga."), (add.Status, add.Output.Trim()));
        Assert.Equal(OperatorSignInStatus.Succeeded, signedIn);
        Assert.Equal(0, passwd.Status);
        Assert.NotEqual(OperatorSignInStatus.Succeeded, oldPassword);
        Assert.Equal(OperatorSignInStatus.Succeeded, newPassword);
        Assert.Equal(0, disable.Status);
        Assert.NotEqual(OperatorSignInStatus.Succeeded, disabled);
        var olga = list.Output.Split('\n').Single(l => l.StartsWith("olga ", StringComparison.Ordinal));
        Assert.Contains("admin", olga, StringComparison.Ordinal);
        Assert.Contains("disabled", olga, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ShortPasswordUnknownNameOrRole_RefusedWithoutChange()
    {
        await using var gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync());

        var shortPassword = await RunAsync(gateway, "short\n", "add", "pat");
        var unknownRole = await RunAsync(gateway, "a long enough password\n", "add", "pat", "--role", "root");
        var unknownName = await RunAsync(gateway, string.Empty, "disable", "nobody");
        var list = await RunAsync(gateway, string.Empty, "list");

        Assert.Equal(1, shortPassword.Status);
        Assert.Equal(2, unknownRole.Status);
        Assert.Contains("Usage", unknownRole.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknownName.Status);
        Assert.Contains("No operator named 'nobody'", unknownName.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pat ", list.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Output, string Error)> RunAsync(
        GatewayHost gateway,
        string input,
        params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var status = await OperatorsCommand.RunAsync(gateway.Services, args, new StringReader(input), output, error);
        return (status, output.ToString(), error.ToString());
    }

    private static async Task<OperatorSignInStatus> SignInAsync(GatewayHost gateway, string name, string password)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OperatorService>()
            .SignInAsync(name, password, CancellationToken.None);
        return result.Status;
    }
}
