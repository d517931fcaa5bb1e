using Gateway.Smtp.Logging;
using Gateway.Smtp.Relay.Routing;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Relay;

/// <summary>
/// Opens a session with a destination: each next hop in order (RFC 5321 §5.1: the next MX when one cannot be
/// reached or greets with an error), and for opportunistic TLS a second try in clear when STARTTLS fails.
/// </summary>
public sealed class NextHopConnector(RelayOptions options, string heloName, ILogger logger)
{
    public async Task<SmtpDeliveryClient> ConnectAsync(Destination destination, CancellationToken cancellationToken)
    {
        NextHopException? last = null;
        foreach (var hop in destination.Hops)
        {
            try
            {
                return await ConnectOneAsync(hop, cancellationToken);
            }
            catch (NextHopException ex)
            {
                RelayLog.NextHopUnreachable(logger, hop.ToString(), ex.Message);
                last = ex;
            }
        }

        throw last ?? new NextHopException($"No next hop for {destination.Key}");
    }

    private async Task<SmtpDeliveryClient> ConnectOneAsync(NextHop hop, CancellationToken cancellationToken)
    {
        try
        {
            return await SmtpDeliveryClient.ConnectAsync(hop, heloName, options.CommandTimeout, options.DataTimeout,
                cancellationToken);
        }
        catch (NextHopException ex) when (ex.TlsFailed && hop.Tls == TlsMode.Opportunistic)
        {
            // RFC 7435: opportunistic TLS that fails falls back to clear text rather than leaving the mail queued.
            RelayLog.TlsFallback(logger, hop.ToString(), ex.Message);
            return await SmtpDeliveryClient.ConnectAsync(hop with { Tls = TlsMode.None }, heloName,
                options.CommandTimeout, options.DataTimeout, cancellationToken);
        }
    }
}
