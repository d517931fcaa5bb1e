using System.Diagnostics;
using Xunit.Abstractions;

namespace Gateway.Tests.Operations;

/// <summary>
/// docker-compose.yml is valid and declares the deployment docs/operations.md describes. No Docker engine runs
/// here; <c>docker-compose config</c> (Debian's package, installed by run-tests.sh) validates without one.
/// </summary>
public sealed class ComposeFileTests(ITestOutputHelper output)
{
    // run-tests.sh sets this, with the reason, only when it could not install docker-compose.
    private const string SkipVariable = "GATEWAY_TEST_NO_COMPOSE";

    [Fact]
    public async Task ComposeFile_Config_ValidatesWithEveryServiceAndHealthCheck()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) is { Length: > 0 } reason)
        {
            output.WriteLine($"Not checked: {reason}");
            return;
        }

        var (status, config, error) = await RunAsync("config");
        Assert.True(status == 0, $"docker-compose config failed: {error}");
        var (_, services, _) = await RunAsync("config", "--services");

        Assert.Equal(["mailpit", "migrate", "postgres", "relay", "smtp", "web"],
            services.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("Gateway__Roles: smtp", config, StringComparison.Ordinal);
        Assert.Contains("Gateway__Roles: relay", config, StringComparison.Ordinal);
        Assert.Contains("Gateway__Roles: web", config, StringComparison.Ordinal);
        Assert.Equal(5, config.Split("healthcheck:").Length - 1);
        Assert.Contains("condition: service_completed_successfully", config, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("docker-compose")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("--file");
        info.ArgumentList.Add("docker-compose.yml");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Gateway.sln not found above the tests");
    }
}
