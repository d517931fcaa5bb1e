using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Smtp.Relay;

/// <summary>
/// An SMTP client that sends stored messages byte for byte. MailKit's <c>SmtpClient</c> only sends a
/// <c>MimeMessage</c>, re-serialised by MimeKit with Bcc, Resent-Bcc and Content-Length hidden, which a relay
/// must not do to mail it was trusted with; so delivery speaks the protocol itself (docs/architecture.md).
/// </summary>
public sealed class SmtpDeliveryClient : IAsyncDisposable
{
    private const int MaxReplyLineLength = 4096;

    private readonly TcpClient _tcp;
    private BufferedStream _stream = null!;
    private readonly TimeSpan _timeout;
    private readonly byte[] _readBuffer = new byte[4096];
    private int _readStart;
    private int _readEnd;

    private SmtpDeliveryClient(TcpClient tcp, TimeSpan timeout)
    {
        _tcp = tcp;
        _timeout = timeout;
    }

    public bool SupportsPipelining { get; private set; }

    public bool Supports8BitMime { get; private set; }

    /// <summary>True once the next hop said 421 or the connection broke; it must not be reused.</summary>
    public bool IsBroken { get; private set; }

    public static async Task<SmtpDeliveryClient> ConnectAsync(
        string host,
        int port,
        string heloName,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        var client = new SmtpDeliveryClient(tcp, timeout);
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(timeout);
                await tcp.ConnectAsync(host, port, connectTimeout.Token);
            }

            client._stream = new BufferedStream(tcp.GetStream(), 64 * 1024);

            var greeting = await client.ReadReplyAsync(cancellationToken);
            if (greeting.Code != 220)
            {
                throw new NextHopException($"Next hop greeted with {greeting}") { Reply = greeting };
            }

            await client.HelloAsync(heloName, cancellationToken);
            return client;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            await client.DisposeAsync();
            throw new NextHopException($"Could not connect to {host}:{port}: {ex.Message}", ex);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task HelloAsync(string heloName, CancellationToken cancellationToken)
    {
        await WriteLineAsync($"EHLO {heloName}", cancellationToken);
        var (ehlo, lines) = await ReadReplyLinesAsync(cancellationToken);
        if (ehlo.Code == 250)
        {
            var keywords = lines.Skip(1).Select(l => l.Split(' ')[0].ToUpperInvariant()).ToHashSet();
            SupportsPipelining = keywords.Contains("PIPELINING");
            Supports8BitMime = keywords.Contains("8BITMIME");
            return;
        }

        ThrowIfClosing(ehlo);
        await WriteLineAsync($"HELO {heloName}", cancellationToken);
        var helo = await ReadReplyAsync(cancellationToken);
        if (helo.Code != 250)
        {
            throw new NextHopException($"Next hop refused HELO: {helo}") { Reply = helo };
        }
    }

    /// <summary>
    /// Runs one mail transaction. Returns a reply per recipient, in order: the RCPT reply when it was refused,
    /// otherwise the reply to the end of data. A reply of 421 throws, since it ends the whole connection.
    /// </summary>
    public async Task<IReadOnlyList<NextHopReply>> SendAsync(
        string reversePath,
        IReadOnlyList<string> recipients,
        ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken)
    {
        var body = Supports8BitMime && content.Span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0
            ? " BODY=8BITMIME"
            : string.Empty;
        var replies = new NextHopReply[recipients.Count];
        try
        {
            var mail = await SendEnvelopeAsync($"MAIL FROM:<{reversePath}>{body}", recipients, replies,
                cancellationToken);
            if (!mail.IsPositive)
            {
                Array.Fill(replies, mail);
                await ResetAsync(cancellationToken);
                return replies;
            }

            if (replies.All(r => !r.IsPositive))
            {
                await ResetAsync(cancellationToken);
                return replies;
            }

            await WriteLineAsync("DATA", cancellationToken);
            var data = await ReadReplyAsync(cancellationToken);
            if (data.Code != 354)
            {
                FillAccepted(replies, data);
                await ResetAsync(cancellationToken);
                return replies;
            }

            await WriteDotStuffedAsync(content, cancellationToken);
            FillAccepted(replies, await ReadReplyAsync(cancellationToken));
            return replies;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            IsBroken = true;
            throw new NextHopException($"Connection to the next hop failed: {ex.Message}", ex);
        }
    }

    private async Task<NextHopReply> SendEnvelopeAsync(
        string mailCommand,
        IReadOnlyList<string> recipients,
        NextHopReply[] replies,
        CancellationToken cancellationToken)
    {
        if (SupportsPipelining)
        {
            // RFC 2920: MAIL and every RCPT go in one write; their replies come back in the same order.
            await WriteLineAsync(mailCommand, cancellationToken, flush: false);
            foreach (var recipient in recipients)
            {
                await WriteLineAsync($"RCPT TO:<{recipient}>", cancellationToken, flush: false);
            }

            await _stream.FlushAsync(cancellationToken);
            var pipelinedMail = await ReadReplyAsync(cancellationToken);
            for (var i = 0; i < recipients.Count; i++)
            {
                replies[i] = await ReadReplyAsync(cancellationToken);
            }

            return pipelinedMail;
        }

        await WriteLineAsync(mailCommand, cancellationToken);
        var mail = await ReadReplyAsync(cancellationToken);
        if (!mail.IsPositive)
        {
            return mail;
        }

        for (var i = 0; i < recipients.Count; i++)
        {
            await WriteLineAsync($"RCPT TO:<{recipients[i]}>", cancellationToken);
            replies[i] = await ReadReplyAsync(cancellationToken);
        }

        return mail;
    }

    private static void FillAccepted(NextHopReply[] replies, NextHopReply reply)
    {
        for (var i = 0; i < replies.Length; i++)
        {
            if (replies[i].IsPositive)
            {
                replies[i] = reply;
            }
        }
    }

    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        await WriteLineAsync("RSET", cancellationToken);
        var reply = await ReadReplyAsync(cancellationToken);
        if (reply.Code != 250)
        {
            IsBroken = true;
        }
    }

    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        if (IsBroken)
        {
            return;
        }

        try
        {
            await WriteLineAsync("QUIT", cancellationToken);
            await ReadReplyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or NextHopException)
        {
            // The message outcomes are already known; a next hop that hangs up early changes nothing.
        }
    }

    // RFC 5321 §4.5.2: a line that starts with a period gets one more; the data ends with CRLF.CRLF.
    private async Task WriteDotStuffedAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (content.Length > 0 && content.Span[0] == (byte)'.')
        {
            _stream.WriteByte((byte)'.');
        }

        var start = 0;
        for (var lf = IndexOf(content.Span, (byte)'\n', 0); lf >= 0; lf = IndexOf(content.Span, (byte)'\n', lf + 1))
        {
            var next = lf + 1;
            if (next < content.Length && content.Span[next] == (byte)'.')
            {
                await _stream.WriteAsync(content[start..next], cancellationToken);
                _stream.WriteByte((byte)'.');
                start = next;
            }
        }

        await _stream.WriteAsync(content[start..], cancellationToken);
        var endsWithCrLf = content.Length >= 2 && content.Span[^2] == (byte)'\r' && content.Span[^1] == (byte)'\n';
        await _stream.WriteAsync(endsWithCrLf ? ".\r\n"u8.ToArray() : "\r\n.\r\n"u8.ToArray(), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private static int IndexOf(ReadOnlySpan<byte> span, byte value, int from)
    {
        if (from >= span.Length)
        {
            return -1;
        }

        var index = span[from..].IndexOf(value);
        return index < 0 ? -1 : index + from;
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken, bool flush = true)
    {
        // Only our own validated paths reach here; a CR or LF would have been refused when the mail came in.
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
        if (flush)
        {
            await _stream.FlushAsync(cancellationToken);
        }
    }

    private async Task<NextHopReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var (reply, _) = await ReadReplyLinesAsync(cancellationToken);
        ThrowIfClosing(reply);
        return reply;
    }

    private static void ThrowIfClosing(NextHopReply reply)
    {
        // RFC 5321 §3.8: 421 means the next hop is closing the channel; nothing more happens on it.
        if (reply.Code == 421)
        {
            throw new NextHopException($"Next hop closed the connection: {reply}") { Reply = reply };
        }
    }

    private async Task<(NextHopReply Reply, List<string> Lines)> ReadReplyLinesAsync(
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeout.Token);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture,
                    out var code))
            {
                IsBroken = true;
                throw new NextHopException($"Next hop sent a malformed reply: {line}");
            }

            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                if (code == 421)
                {
                    IsBroken = true;
                }

                return (NextHopReply.Parse(code, lines), lines);
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_readStart == _readEnd)
            {
                _readStart = 0;
                _readEnd = await _stream.ReadAsync(_readBuffer, cancellationToken);
                if (_readEnd == 0)
                {
                    IsBroken = true;
                    throw new IOException("The next hop closed the connection.");
                }
            }

            var available = _readBuffer.AsSpan(_readStart, _readEnd - _readStart);
            var lf = available.IndexOf((byte)'\n');
            var take = lf < 0 ? available : available[..lf];
            line.Append(Encoding.UTF8.GetString(take));
            _readStart += take.Length + (lf < 0 ? 0 : 1);
            if (lf >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }

            if (line.Length > MaxReplyLineLength)
            {
                IsBroken = true;
                throw new NextHopException("Next hop sent an over-long reply line.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _tcp.Dispose();
    }
}
