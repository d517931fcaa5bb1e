using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Hosting;

namespace Gateway.Tests.Relay;

/// <summary>
/// A downstream SMTP server for the relay tests that the shared <c>DownstreamSmtpServer</c> cannot script: it binds
/// any loopback address (127.0.0.3 as a second MX), hangs up part-way through the data, holds the reply to the end
/// of data on an awaited task (a node killed while it waits), counts peak concurrent sessions, and can leave
/// PIPELINING out of its EHLO reply. It records every command and the exact data bytes it accepts.
/// </summary>
internal sealed class ScriptedDownstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private int _connections;
    private int _open;
    private int _maxOpen;

    public ScriptedDownstream(IPAddress? address = null, int? port = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port ?? FreePort.Next());
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"{((IPEndPoint)_listener.LocalEndpoint).Address}:{Port}";

    public string Greeting { get; set; } = "220 scripted.test ESMTP";

    public bool Pipelining { get; set; }

    /// <summary>Reply to MAIL FROM, given the whole command line.</summary>
    public Func<string, string> OnMail { get; set; } = _ => "250 2.1.0 Ok";

    /// <summary>Reply to RCPT TO, given the mailbox between the angle brackets.</summary>
    public Func<string, string> OnRcpt { get; set; } = _ => "250 2.1.5 Ok";

    public Func<string> OnData { get; set; } = () => "354 End data with <CR><LF>.<CR><LF>";

    /// <summary>Reply to the end of data; return null to hang up without a reply.</summary>
    public Func<CapturedMail, Task<string?>> OnEndOfData { get; set; } = _ => Task.FromResult<string?>("250 2.0.0 Ok");

    /// <summary>Hang up after this many bytes of data have arrived (a broken link in the middle of DATA).</summary>
    public int? DisconnectAfterDataBytes { get; set; }

    /// <summary>Wait this long before every reply (a slow next hop).</summary>
    public TimeSpan ReplyDelay { get; set; }

    public ConcurrentQueue<CapturedMail> Messages { get; } = new();

    public ConcurrentQueue<string> Commands { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The most sessions that were open at the same time.</summary>
    public int MaxConcurrentSessions => Volatile.Read(ref _maxOpen);

    /// <summary>Closes every connection the relay has open to this server, as a server's idle timeout would.</summary>
    public void DropConnections()
    {
        foreach (var client in _clients)
        {
            client.Client.Close();
        }
    }

    public async Task<IReadOnlyList<CapturedMail>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (Messages.Count < count)
        {
            await Task.Delay(50, limit.Token);
        }

        return [.. Messages];
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var open = Interlocked.Increment(ref _open);
        int seen;
        while ((seen = Volatile.Read(ref _maxOpen)) < open &&
               Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        var stream = client.GetStream();
        var reader = new LineReader(stream);
        var closed = 0;
        void Close()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                Interlocked.Decrement(ref _open);
            }
        }

        try
        {
            if (!await ReplyAsync(stream, Greeting))
            {
                return;
            }

            await ConverseAsync(stream, reader, Close);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
                                       or OperationCanceledException)
        {
            // The relay hung up, or the test ended.
        }
        finally
        {
            Close();
        }
    }

    // closeSession counts the session as over; QUIT calls it before its 221, since the client may connect again
    // (to a destination limited to one connection) the moment the 221 arrives, before this task has unwound.
    private async Task ConverseAsync(NetworkStream stream, LineReader reader, Action closeSession)
    {
        string? reversePath = null;
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(_stop.Token) is { } bytes)
        {
            var line = Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');
            Commands.Enqueue(line);
            var verb = line.Split(' ')[0].ToUpperInvariant();
            string reply;
            switch (verb)
            {
                case "EHLO":
                    reply = Pipelining
                        ? "250-scripted.test\r\n250-PIPELINING\r\n250 8BITMIME"
                        : "250-scripted.test\r\n250 8BITMIME";
                    break;
                case "MAIL":
                    reply = OnMail(line);
                    reversePath = reply.StartsWith('2') ? Between(line) : null;
                    recipients.Clear();
                    break;
                case "RCPT":
                    reply = OnRcpt(Between(line));
                    if (reply.StartsWith('2'))
                    {
                        recipients.Add(Between(line));
                    }

                    break;
                case "DATA":
                    reply = OnData();
                    if (!await ReplyAsync(stream, reply))
                    {
                        return;
                    }

                    if (!reply.StartsWith('3'))
                    {
                        continue;
                    }

                    var data = await ReadDataAsync(reader);
                    if (data is null)
                    {
                        return;
                    }

                    var mail = new CapturedMail(reversePath ?? string.Empty, [.. recipients], data, null, null);
                    var end = await OnEndOfData(mail);
                    if (end is null)
                    {
                        return;
                    }

                    if (end.StartsWith('2'))
                    {
                        Messages.Enqueue(mail);
                    }

                    if (!await ReplyAsync(stream, end))
                    {
                        return;
                    }

                    continue;
                case "RSET":
                    reply = "250 2.0.0 Ok";
                    reversePath = null;
                    recipients.Clear();
                    break;
                case "QUIT":
                    closeSession();
                    await ReplyAsync(stream, "221 2.0.0 Bye");
                    return;
                default:
                    reply = "250 2.0.0 Ok";
                    break;
            }

            if (!await ReplyAsync(stream, reply))
            {
                return;
            }
        }
    }

    // Data lines up to CRLF.CRLF, dot-unstuffed (RFC 5321 §4.5.2); null when the script hangs up part-way.
    private async Task<byte[]?> ReadDataAsync(LineReader reader)
    {
        var data = new MemoryStream();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line is [(byte)'.', (byte)'\r', (byte)'\n'])
            {
                return data.ToArray();
            }

            var stuffed = line[0] == (byte)'.' ? 1 : 0;
            data.Write(line, stuffed, line.Length - stuffed);
            if (DisconnectAfterDataBytes is { } limit && data.Length >= limit)
            {
                return null;
            }
        }

        return null;
    }

    // Sends a reply; a 421 closes the connection afterwards (RFC 5321 §3.8). False when the session is over.
    private async Task<bool> ReplyAsync(NetworkStream stream, string reply)
    {
        if (ReplyDelay > TimeSpan.Zero)
        {
            await Task.Delay(ReplyDelay, _stop.Token);
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), _stop.Token);
        return !reply.StartsWith("421", StringComparison.Ordinal);
    }

    private static string Between(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', open + 1);
        return open < 0 || close < 0 ? string.Empty : line[(open + 1)..close];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _accepting;
        _stop.Dispose();
    }

    /// <summary>Reads lines with their CRLF, as bytes.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        return null;
                    }
                }

                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = lf < 0 ? _end : lf + 1;
                line.Write(_buffer, _start, stop - _start);
                _start = stop;
                if (lf >= 0)
                {
                    return line.ToArray();
                }
            }
        }
    }
}
