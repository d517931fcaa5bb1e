using System.Diagnostics;

namespace Gateway.Tests.Security;

/// <summary>
/// A test that needs to create network namespaces: root and the <c>ip</c> tool, in a place that lets it add one (a
/// container or sandbox without the capability does not). Skipped, saying which is missing, without.
/// </summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindWhatIsMissing);

    public NetworkNamespaceFactAttribute()
    {
        if (Missing.Value is { } missing)
        {
            Skip = missing;
        }
    }

    private static string? FindWhatIsMissing()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/sbin/ip") &&
            !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
        {
            return "Needs Linux, root and the ip tool (iproute2) to create network namespaces.";
        }

        var probe = $"gw-probe-{Environment.ProcessId}";
        if (!Run("netns", "add", probe))
        {
            return "This machine refuses to create network namespaces (ip netns add failed).";
        }

        Run("netns", "del", probe);
        return null;
    }

    private static bool Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        return process.WaitForExit(10_000) && process.ExitCode == 0;
    }
}
