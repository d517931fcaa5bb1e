using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Smtp.Support;

/// <summary>A client that writes exactly the bytes it is given and reads replies as the server sent them.</summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawSmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawSmtpClient(tcp);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one whole reply (all its continuation lines); throws if none comes in time.</summary>
    public async Task<RawReply> ReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancel.Token)
                ?? throw new InvalidOperationException($"Connection closed after {lines.Count} reply lines");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return RawReply.Parse(lines);
            }
        }
    }

    /// <summary>Every reply line until the server closes the connection or the time is up.</summary>
    public async Task<IReadOnlyList<string>> ReadAllAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        try
        {
            while (await ReadLineAsync(cancel.Token) is { } line)
            {
                lines.Add(line);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        return lines;
    }

    /// <summary>True when the server closed the connection (after any replies still unread were skipped).</summary>
    public async Task<bool> IsClosedAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await ReadLineAsync(cancel.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, newline + 1).ToArray());
                _pending.RemoveRange(0, newline + 1);
                Assert.EndsWith("\r\n", line, StringComparison.Ordinal);
                return line[..^2];
            }

            var read = await _stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
