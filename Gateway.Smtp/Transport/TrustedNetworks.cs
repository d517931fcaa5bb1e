using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Transport;

/// <summary>The networks whose clients may relay without authenticating (<c>Gateway:Smtp:TrustedNetworks</c>).</summary>
public sealed class TrustedNetworks
{
    private readonly IPNetwork[] _networks;

    public TrustedNetworks(IOptions<SmtpOptions> options)
    {
        var configured = options.Value.TrustedNetworks;
        IEnumerable<string> entries = configured.Count > 0 ? configured : SmtpOptions.DefaultTrustedNetworks;

        // An explicit "none" empties the list: nobody relays without authenticating.
        _networks = entries.Where(e => !string.Equals(e, "none", StringComparison.OrdinalIgnoreCase))
            .Select(IPNetwork.Parse).ToArray();
    }

    public bool Contains(IPAddress address)
    {
        var normalised = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(normalised));
    }
}
