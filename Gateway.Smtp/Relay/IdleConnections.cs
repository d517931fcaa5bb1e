namespace Gateway.Smtp.Relay;

/// <summary>
/// Connections to next hops kept open between claim rounds, per destination, for at most
/// <see cref="RelayOptions.ConnectionIdleTimeout"/>: mail that arrives a moment after a batch was sent goes out on
/// the same session instead of paying for a new connection, EHLO, TLS handshake and AUTH. A connection is only
/// taken by a loop that holds the destination's gate, and no more are kept than the destination's limit, so the
/// connections open to a destination never exceed <see cref="RelayOptions.MaxConnectionsPerDestination"/>.
/// A kept connection is checked with RSET before it is used again; one the next hop has closed meanwhile is
/// dropped and a new one opened.
/// </summary>
internal sealed class IdleConnections(TimeSpan maxIdle, int maxPerDestination, TimeProvider time, Action closed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stack<(SmtpDeliveryClient Client, DateTimeOffset Since)>> _idle =
        new(StringComparer.Ordinal);

    public bool Enabled => maxIdle > TimeSpan.Zero;

    /// <summary>A kept connection to the destination that still answers, or null.</summary>
    public async Task<SmtpDeliveryClient?> TakeAsync(string destination, CancellationToken cancellationToken)
    {
        while (Pop(destination) is { } client)
        {
            if (await client.IsAliveAsync(cancellationToken))
            {
                return client;
            }

            await CloseAsync(client, quit: false);
        }

        return null;
    }

    /// <summary>Keeps the connection for the next round, or closes it when there is no room or it is unusable.</summary>
    public async Task ReturnAsync(string destination, SmtpDeliveryClient client)
    {
        if (Enabled && !client.IsBroken)
        {
            lock (_gate)
            {
                if (!_idle.TryGetValue(destination, out var stack))
                {
                    stack = new Stack<(SmtpDeliveryClient, DateTimeOffset)>();
                    _idle[destination] = stack;
                }

                if (stack.Count < Math.Max(1, maxPerDestination))
                {
                    stack.Push((client, time.GetUtcNow()));
                    return;
                }
            }
        }

        await CloseAsync(client, quit: true);
    }

    /// <summary>Closes (QUIT) every connection idle for longer than the limit.</summary>
    public async Task CloseExpiredAsync()
    {
        var expired = new List<SmtpDeliveryClient>();
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var (destination, stack) in _idle.ToList())
            {
                var keep = stack.Where(e => now - e.Since < maxIdle).Reverse().ToList();
                expired.AddRange(stack.Where(e => now - e.Since >= maxIdle).Select(e => e.Client));
                _idle[destination] = new Stack<(SmtpDeliveryClient, DateTimeOffset)>(keep);
            }
        }

        foreach (var client in expired)
        {
            await CloseAsync(client, quit: true);
        }
    }

    /// <summary>Closes (QUIT) every kept connection; at shutdown.</summary>
    public async Task CloseAllAsync()
    {
        List<SmtpDeliveryClient> all;
        lock (_gate)
        {
            all = _idle.Values.SelectMany(s => s.Select(e => e.Client)).ToList();
            _idle.Clear();
        }

        foreach (var client in all)
        {
            await CloseAsync(client, quit: true);
        }
    }

    private SmtpDeliveryClient? Pop(string destination)
    {
        lock (_gate)
        {
            return _idle.TryGetValue(destination, out var stack) && stack.TryPop(out var entry) ? entry.Client : null;
        }
    }

    private async Task CloseAsync(SmtpDeliveryClient client, bool quit)
    {
        if (quit)
        {
            await client.QuitAsync(CancellationToken.None);
        }

        await client.DisposeAsync();
        closed();
    }
}
