using System.Net.Sockets;
using System.Text;

namespace Gateway.Smtp.Relay;

public sealed partial class SmtpDeliveryClient
{
    /// <summary>
    /// Runs one mail transaction. Returns a reply per recipient, in order: the RCPT reply when it was refused,
    /// otherwise the reply to the end of data. A reply of 421 throws, since it ends the whole connection. A message
    /// this next hop may not be given (see <see cref="Refusal"/>) is not sent: every recipient gets our own
    /// permanent refusal and the connection stays usable for the next message.
    /// </summary>
    public async Task<IReadOnlyList<NextHopReply>> SendAsync(
        OutboundEnvelope envelope,
        ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken)
    {
        var replies = new NextHopReply[envelope.Recipients.Count];
        var eightBit = content.Span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
        var mailCommand = MailCommand(envelope, eightBit, content.Length);
        var rcptCommands = envelope.Recipients.Select(r => RcptCommand(r, envelope.SmtpUtf8)).ToList();
        var refusal = Refusal(envelope, eightBit, content.Length)
                      ?? UnsafeCommandRefusal([mailCommand, .. rcptCommands]);
        if (refusal is not null)
        {
            Array.Fill(replies, refusal);
            return replies;
        }

        Transactions++;
        try
        {
            var mail = await SendEnvelopeAsync(mailCommand, rcptCommands, replies, cancellationToken);
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
            FillAccepted(replies, await ReadReplyAsync(cancellationToken, _dataTimeout));
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
        List<string> rcptCommands,
        NextHopReply[] replies,
        CancellationToken cancellationToken)
    {
        if (SupportsPipelining)
        {
            // RFC 2920: MAIL and every RCPT go in one write; their replies come back in the same order.
            await WriteLineAsync(mailCommand, cancellationToken, flush: false);
            foreach (var rcpt in rcptCommands)
            {
                await WriteLineAsync(rcpt, cancellationToken, flush: false);
            }

            await _stream.FlushAsync(cancellationToken);
            var pipelinedMail = await ReadReplyAsync(cancellationToken);
            for (var i = 0; i < rcptCommands.Count; i++)
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

        for (var i = 0; i < rcptCommands.Count; i++)
        {
            await WriteLineAsync(rcptCommands[i], cancellationToken);
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

    /// <summary>
    /// Whether a connection kept open since an earlier round still answers: RSET gets 250. A next hop that closed
    /// it meanwhile (its idle timeout) makes this false, and the caller opens a new one.
    /// </summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        if (IsBroken)
        {
            return false;
        }

        try
        {
            await ResetAsync(cancellationToken);
            return !IsBroken;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or NextHopException
                                       or ObjectDisposedException)
        {
            IsBroken = true;
            return false;
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
}
