using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Relay.Routing;

/// <summary>
/// Looks up where a domain takes mail (RFC 5321 §5.1): MX records by preference, the domain's own A/AAAA when it
/// has no MX, and RFC 7505's null MX. Asks the servers in <c>Gateway:Relay:DnsServers</c>, or the system's.
/// </summary>
public sealed class MxResolver
{
    private readonly LookupClient _client;

    public MxResolver(IOptions<RelayOptions> options)
    {
        var servers = options.Value.DnsServers.Select(ParseServer).ToArray();
        var lookupOptions = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = options.Value.DnsTimeout;
        lookupOptions.Retries = 1;
        lookupOptions.ThrowDnsErrors = false;
        _client = new LookupClient(lookupOptions);
    }

    /// <param name="domain">An A-label (ASCII) domain.</param>
    public async Task<MxLookup> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            var mx = await _client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancellationToken);
            if (mx.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new MxLookup(MxLookupOutcome.NoSuchDomain, [], $"{domain}: no such domain");
            }

            if (mx.HasError)
            {
                return new MxLookup(MxLookupOutcome.TemporaryFailure, [], $"{domain}: DNS error {mx.ErrorMessage}");
            }

            var records = mx.Answers.MxRecords().ToList();
            if (records.Count == 1 && IsRoot(records[0].Exchange))
            {
                return new MxLookup(MxLookupOutcome.NullMx, [], $"{domain} accepts no mail (null MX)");
            }

            return records.Count == 0
                ? await ImplicitMxAsync(domain, cancellationToken)
                : await ExchangersAsync(domain, records, cancellationToken);
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or IOException or TimeoutException)
        {
            return new MxLookup(MxLookupOutcome.TemporaryFailure, [], $"{domain}: DNS lookup failed: {ex.Message}");
        }
    }

    // RFC 5321 §5.1: with no MX, the domain itself is the one exchanger, at preference 0.
    private async Task<MxLookup> ImplicitMxAsync(string domain, CancellationToken cancellationToken)
    {
        var addresses = await AddressesAsync(domain, cancellationToken);
        return addresses.Count == 0
            ? new MxLookup(MxLookupOutcome.NoSuchDomain, [], $"{domain} has no MX and no address")
            : new MxLookup(MxLookupOutcome.Hosts, [new MxHost(domain, 0, addresses)], $"{domain} has no MX");
    }

    private async Task<MxLookup> ExchangersAsync(
        string domain,
        List<MxRecord> records,
        CancellationToken cancellationToken)
    {
        var hosts = new List<MxHost>();
        foreach (var record in records.Where(r => !IsRoot(r.Exchange)).OrderBy(r => r.Preference))
        {
            var name = record.Exchange.Value.TrimEnd('.');
            var addresses = await AddressesAsync(name, cancellationToken);
            if (addresses.Count > 0)
            {
                hosts.Add(new MxHost(name, record.Preference, addresses));
            }
        }

        return hosts.Count > 0
            ? new MxLookup(MxLookupOutcome.Hosts, hosts, $"{domain}: {hosts.Count} exchanger(s)")
            : new MxLookup(MxLookupOutcome.TemporaryFailure, [], $"{domain}: no exchanger has an address");
    }

    private async Task<List<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        var v4 = await _client.QueryAsync(host, QueryType.A, QueryClass.IN, cancellationToken);
        var v6 = await _client.QueryAsync(host, QueryType.AAAA, QueryClass.IN, cancellationToken);
        return v4.Answers.ARecords().Select(a => a.Address)
            .Concat(v6.Answers.AaaaRecords().Select(a => a.Address))
            .ToList();
    }

    private static bool IsRoot(DnsString exchange) => exchange.Value is "." or "";

    private static NameServer ParseServer(string value)
    {
        if (!IPEndPoint.TryParse(value.Trim(), out var endPoint))
        {
            throw new InvalidOperationException($"Gateway:Relay:DnsServers: '{value}' is not an address[:port].");
        }

        return new NameServer(endPoint.Address, endPoint.Port == 0 ? 53 : endPoint.Port);
    }
}
