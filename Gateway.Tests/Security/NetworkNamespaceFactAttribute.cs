namespace Gateway.Tests.Security;

/// <summary>A test that needs to create network namespaces: root and the <c>ip</c> tool. Skipped, saying so, without.</summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/sbin/ip") &&
            !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
        {
            Skip = "Needs Linux, root and the ip tool (iproute2) to create network namespaces.";
        }
    }
}
