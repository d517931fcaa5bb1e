using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Faults;

/// <summary>
/// Misbehaving clients: connections that open and say nothing, that drip a message one byte at a time, that send
/// an endless line with no line ending, and that keep dropping the connection in the middle of DATA.
/// </summary>
internal sealed class HostileClients : IAsyncDisposable
{
    private readonly int _port;
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private int _midDataDrops;

    public HostileClients(int port)
    {
        _port = port;
    }

    public int HeldConnections => _held.Count;

    public int MidDataDrops => Volatile.Read(ref _midDataDrops);

    /// <summary>Opens connections that read nothing and send nothing.</summary>
    public async Task StallAsync(int count)
    {
        for (var i = 0; i < count; i += 100)
        {
            var wave = await Task.WhenAll(Enumerable.Range(0, Math.Min(100, count - i)).Select(_ => OpenAsync()));
            _held.AddRange(wave.OfType<TcpClient>());
        }
    }

    /// <summary>Connections that enter DATA and then send one byte every 100 ms, for as long as they are let.</summary>
    public void Drip(int count)
    {
        _running.AddRange(Enumerable.Range(0, count).Select(_ => Task.Run(() => WriteSlowlyAsync(
            "EHLO drip.test\r\nMAIL FROM:<drip@example.com>\r\nRCPT TO:<drip@example.net>\r\nDATA\r\n",
            "Subject: drip\r\n\r\n" + new string('d', 100_000)))));
    }

    /// <summary>Connections that send a command line that never ends, as fast as the server takes it.</summary>
    public void EndlessLines(int count)
    {
        _running.AddRange(Enumerable.Range(0, count).Select(_ => Task.Run(FloodOneLineAsync)));
    }

    /// <summary>A loop of clients that send part of a message and drop the connection, until disposed.</summary>
    public void DropMidData(int clients)
    {
        _running.AddRange(Enumerable.Range(0, clients).Select(_ => Task.Run(DropLoopAsync)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var client in _held)
        {
            client.Dispose();
        }

        await Task.WhenAll(_running);
        _stop.Dispose();
    }

    private async Task<TcpClient?> OpenAsync()
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", _port);
            return client;
        }
        catch (SocketException)
        {
            client.Dispose();
            return null;
        }
    }

    private async Task WriteSlowlyAsync(string quickly, string slowly)
    {
        using var client = await OpenAsync();
        if (client is null)
        {
            return;
        }

        try
        {
            var stream = client.GetStream();
            await ReadGreetingAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(quickly), _stop.Token);
            foreach (var b in Encoding.ASCII.GetBytes(slowly))
            {
                await Task.Delay(100, _stop.Token);
                await stream.WriteAsync(new[] { b }, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // Cut off by the server or by the end of the test: both expected.
        }
    }

    private async Task ReadGreetingAsync(NetworkStream stream)
    {
        var buffer = new byte[512];
        var read = 0;
        while (read == 0 || buffer[read - 1] != '\n')
        {
            var more = await stream.ReadAsync(buffer.AsMemory(read), _stop.Token);
            if (more == 0)
            {
                throw new IOException("closed before the greeting");
            }

            read += more;
        }
    }

    private async Task FloodOneLineAsync()
    {
        using var client = await OpenAsync();
        if (client is null)
        {
            return;
        }

        var chunk = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
        try
        {
            var stream = client.GetStream();
            while (!_stop.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The server is expected to close the connection once the line is over the limit.
        }
    }

    private async Task DropLoopAsync()
    {
        var partial = Encoding.ASCII.GetBytes(
            "EHLO drop.test\r\nMAIL FROM:<drop@example.com>\r\nRCPT TO:<drop@example.net>\r\nDATA\r\n" +
            "Subject: never finished\r\n\r\n" + new string('x', 20_000) + "\r\n");
        while (!_stop.IsCancellationRequested)
        {
            using var client = await OpenAsync();
            if (client is null)
            {
                continue;
            }

            try
            {
                await ReadGreetingAsync(client.GetStream());
                await client.GetStream().WriteAsync(partial, _stop.Token);
                await Task.Delay(10, _stop.Token);
                client.Client.Close(0);
                Interlocked.Increment(ref _midDataDrops);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // Either side may end it first.
            }
        }
    }
}
