using System.Net;
using Gateway.Smtp.Protocol;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Counts open SMTP connections, in all and per client address, across every SMTP listener of the process, and
/// refuses those past <see cref="SmtpOptions.MaxConnections"/> or <see cref="SmtpOptions.MaxConnectionsPerClient"/>.
/// </summary>
public sealed class ConnectionLimiter(IOptions<SmtpOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private int _total;

    public int OpenConnections
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Counts the connection in, or returns the 421 it must get instead (and then counts nothing).</summary>
    public SmtpReply? TryEnter(IPAddress client)
    {
        lock (_lock)
        {
            if (_total >= options.Value.MaxConnections)
            {
                return SmtpReplies.TooManyConnections;
            }

            _perClient.TryGetValue(client, out var fromClient);
            if (fromClient >= options.Value.MaxConnectionsPerClient)
            {
                return SmtpReplies.TooManyConnectionsFromClient;
            }

            _perClient[client] = fromClient + 1;
            _total++;
            return null;
        }
    }

    public void Leave(IPAddress client)
    {
        lock (_lock)
        {
            _total--;
            if (--_perClient[client] == 0)
            {
                _perClient.Remove(client);
            }
        }
    }
}
