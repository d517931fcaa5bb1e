using System.Net;
using System.Net.Sockets;

namespace Gateway.Core.Webhooks;

/// <summary>
/// The HTTP handler webhooks are sent with: no proxy, no redirects, no cookies, and a connect step that resolves
/// the host itself and connects only to an address <see cref="WebhookTargetPolicy"/> allows.
/// </summary>
public static class WebhookHttpHandler
{
    public static SocketsHttpHandler Create(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = options.RequestTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) =>
            ConnectAsync(context.DnsEndPoint, options.AllowPrivateTargets, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endpoint,
        bool allowPrivateTargets,
        CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(a => WebhookTargetPolicy.IsAllowed(a, allowPrivateTargets)).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookTargetRefusedException(
                $"{endpoint.Host} resolves only to addresses webhooks may not reach " +
                $"({string.Join(", ", addresses.Select(a => a.ToString()))}); see Gateway:Webhooks:AllowPrivateTargets.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), endpoint.Port, cancellationToken);

            // Check again what we are connected to: the socket, not the list, is the truth.
            if (socket.RemoteEndPoint is not IPEndPoint remote ||
                !WebhookTargetPolicy.IsAllowed(remote.Address, allowPrivateTargets))
            {
                throw new WebhookTargetRefusedException($"Connected to a refused address: {socket.RemoteEndPoint}.");
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
