using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Relay.Routing;

/// <summary>
/// Picks the next hop for a recipient domain: the domain's route, else the default smarthost, else the domain's
/// mail exchangers from DNS. Domains are compared and looked up in A-label form (RFC 5890), so a route written as
/// <c>bücher.example</c> matches mail to <c>xn--bcher-kva.example</c> and the reverse.
/// </summary>
public sealed class NextHopRouter
{
    private static readonly IdnMapping Idn = new();

    private readonly RelayOptions _options;
    private readonly MxResolver _resolver;
    private readonly Dictionary<string, RouteOptions> _routes;

    public NextHopRouter(IOptions<RelayOptions> options, MxResolver resolver)
    {
        _options = options.Value;
        _resolver = resolver;
        _routes = _options.Routes.ToDictionary(r => ToAscii(r.Key), r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>The domain of a mailbox, after its last <c>@</c>.</summary>
    public static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];

    /// <summary>
    /// The A-label, lower-case form of a domain; throws <see cref="ArgumentException"/> when invalid.
    /// </summary>
    public static string ToAscii(string domain) =>
        Idn.GetAscii(domain.Trim().TrimEnd('.').ToLowerInvariant()).ToLowerInvariant();

    public async Task<Destination> RouteAsync(string domain, CancellationToken cancellationToken)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            return AddressLiteral(domain);
        }

        string ascii;
        try
        {
            ascii = ToAscii(domain);
        }
        catch (ArgumentException)
        {
            return Destination.Unroutable($"bad:{domain}", Local(550, "5.1.2", $"Bad destination domain {domain}"));
        }

        if (_routes.TryGetValue(ascii, out var route))
        {
            return string.IsNullOrWhiteSpace(route.Smarthost)
                ? await ByMxAsync(ascii, route.Tls, route.CertificateValidation, cancellationToken)
                : Smarthost(route.Smarthost, route.Tls, route.CertificateValidation, route.Username, route.Password);
        }

        return string.IsNullOrWhiteSpace(_options.Smarthost)
            ? await ByMxAsync(ascii, _options.Tls, _options.CertificateValidation, cancellationToken)
            : Smarthost(_options.Smarthost, _options.Tls, _options.CertificateValidation, _options.Username,
                _options.Password);
    }

    private static Destination Smarthost(
        string value,
        TlsMode tls,
        CertificateValidation validation,
        string? username,
        string? password)
    {
        var (host, port) = ParseHostPort(value);
        var hop = new NextHop(host, null, port, tls, validation, username, password);
        return new Destination($"smarthost:{hop}/{tls}/{username}", [hop], null);
    }

    private async Task<Destination> ByMxAsync(
        string domain,
        TlsMode tls,
        CertificateValidation validation,
        CancellationToken cancellationToken)
    {
        var key = $"mx:{domain}";
        var lookup = await _resolver.LookupAsync(domain, cancellationToken);
        return lookup.Outcome switch
        {
            // RFC 7505 §4.2: mail to a null-MX domain fails at once, with 556 5.1.10.
            MxLookupOutcome.NullMx => Destination.Unroutable(key, Local(556, "5.1.10", lookup.Detail)),
            MxLookupOutcome.NoSuchDomain => Destination.Unroutable(key, Local(550, "5.1.2", lookup.Detail)),
            MxLookupOutcome.TemporaryFailure => Destination.Unroutable(key, Local(451, "4.4.3", lookup.Detail)),
            _ => new Destination(key, lookup.Hosts
                .SelectMany(h => h.Addresses.Select(a => new NextHop(h.Name, a, _options.MxPort, tls, validation,
                    null, null)))
                .ToList(), null),
        };
    }

    private Destination AddressLiteral(string domain)
    {
        var literal = domain[1..^1];
        var text = literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? literal[5..] : literal;
        if (!IPAddress.TryParse(text, out var address))
        {
            return Destination.Unroutable($"bad:{domain}", Local(550, "5.1.2", $"Bad address literal {domain}"));
        }

        var hop = new NextHop(address.ToString(), address, _options.MxPort, _options.Tls,
            CertificateValidation.None, null, null);
        return new Destination($"literal:{address}", [hop], null);
    }

    private static NextHopReply Local(int code, string enhancedCode, string text) => new(code, enhancedCode, text);

    public static (string Host, int Port) ParseHostPort(string value)
    {
        var text = value.Trim();
        var colon = text.LastIndexOf(':');
        if (colon > 0 && !text.EndsWith(']') &&
            int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (text[..colon].Trim('[', ']'), port);
        }

        return (text.Trim('[', ']'), 25);
    }
}
