using System.Net;
using System.Net.Sockets;

namespace Gateway.Core.Webhooks;

/// <summary>
/// Which addresses a webhook may connect to. Applied to the address actually connected, after DNS, so a name
/// whose answer changes between the check and the connection cannot reach a forbidden address.
/// </summary>
public static class WebhookTargetPolicy
{
    // Always refused: "this network", link-local (169.254.169.254 is the cloud metadata service), multicast,
    // broadcast and the IPv6 equivalents, plus the AWS IPv6 metadata address (inside fc00::/7, refused by default).
    private static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("fd00:ec2::254/128"),
    ];

    // Refused unless AllowPrivateTargets: loopback, RFC 1918, CGNAT (RFC 6598), benchmarking, unique-local IPv6.
    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"),
    ];

    public static bool IsAllowed(IPAddress address, bool allowPrivateTargets)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && IsNat64(address))
        {
            // 64:ff9b::a.b.c.d reaches a.b.c.d through a NAT64 gateway: judge the embedded address.
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        if (Forbidden.Any(n => n.Contains(address)))
        {
            return false;
        }

        return allowPrivateTargets || !Private.Any(n => n.Contains(address));
    }

    private static bool IsNat64(IPAddress address) => IPNetwork.Parse("64:ff9b::/96").Contains(address);
}
