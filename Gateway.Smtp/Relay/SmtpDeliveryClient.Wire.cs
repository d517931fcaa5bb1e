using System.Globalization;
using System.Text;

namespace Gateway.Smtp.Relay;

public sealed partial class SmtpDeliveryClient
{
    private async Task WriteLineAsync(string line, CancellationToken cancellationToken, bool flush = true)
    {
        // Envelope values were checked when the mail came in and again before the transaction (HasLineBreak);
        // a line break here is a fault of ours, and must never become a second command.
        if (HasLineBreak(line))
        {
            throw new ArgumentException("A command line must not contain CR or LF.", nameof(line));
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
        if (flush)
        {
            await _stream.FlushAsync(cancellationToken);
        }
    }

    private async Task<NextHopReply> ReadReplyAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var (reply, _) = await ReadReplyLinesAsync(cancellationToken, timeout);
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
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? _timeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeoutSource.Token);
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
}
