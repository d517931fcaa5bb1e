using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Tests.Smtp.Support;

namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>
/// One generated session against the listener. Orderly sessions keep step with the replies and know exactly
/// which content each 250 acknowledged; hostile sessions throw bytes at the server and record, for every 250 they
/// get, every content the stream could have meant (<see cref="ContentCandidates"/>).
/// </summary>
internal sealed partial class FuzzSession(int port, Random random, int maxSize)
{
    /// <summary>Runs the session; each 250 it receives is added to <paramref name="acknowledged"/>.</summary>
    public async Task RunAsync(ConcurrentDictionary<Guid, IReadOnlyList<byte[]>> acknowledged)
    {
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(port);
            switch (random.Next(6))
            {
                case 0 or 1:
                    await HostileAsync(client, acknowledged);
                    break;
                case 2:
                    await client.ReadReplyAsync();
                    await MutatedDataAsync(client, acknowledged);
                    break;
                default:
                    await client.ReadReplyAsync();
                    await OrderlyAsync(client, acknowledged);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or
                                       System.Net.Sockets.SocketException)
        {
            // The server closed the connection (421, 554 and close) or we dropped it on purpose.
        }
    }

    private async Task OrderlyAsync(RawSmtpClient client, ConcurrentDictionary<Guid, IReadOnlyList<byte[]>> acked)
    {
        await client.SendAsync("EHLO fuzz.test\r\n");
        await client.ReadReplyAsync();
        for (var transaction = random.Next(1, 4); transaction > 0; transaction--)
        {
            var recipients = random.Next(1, 4);
            var envelope = new StringBuilder("MAIL FROM:<s@fuzz.test>" + MailParameters() + "\r\n");
            for (var i = 0; i < recipients; i++)
            {
                envelope.Append(random.Next(8) == 0 ? "RCPT TO:<bad@@x>\r\n" : $"RCPT TO:<r{i}@fuzz.test>\r\n");
            }

            await client.SendAsync(envelope.ToString());
            var accepted = 0;
            var mail = await client.ReadReplyAsync();
            for (var i = 0; i < recipients; i++)
            {
                accepted += (await client.ReadReplyAsync()).Code == 250 ? 1 : 0;
            }

            var content = FuzzContent.Message(random, maxSize);
            var sent = random.Next(2) == 0
                ? await SendDataAsync(client, content)
                : await SendChunksAsync(client, content);
            if (sent is { Code: 250 } reply && mail.Code == 250 && accepted > 0)
            {
                acked[QueueId(reply)] = [content];
            }

            await client.SendAsync("RSET\r\n");
            await client.ReadReplyAsync();
        }

        await client.SendAsync("QUIT\r\n");
        await client.ReadReplyAsync();
    }

    private string MailParameters() => random.Next(6) switch
    {
        0 => " SMTPUTF8",
        1 => " BODY=8BITMIME RET=HDRS ENVID=fuzz",
        2 => string.Create(CultureInfo.InvariantCulture, $" SIZE={random.Next(maxSize * 2)}"),
        _ => string.Empty,
    };

    private async Task<RawReply?> SendDataAsync(RawSmtpClient client, byte[] content)
    {
        await client.SendAsync("DATA\r\n");
        if ((await client.ReadReplyAsync()).Code != 354)
        {
            return null;
        }

        var wire = FuzzContent.DotStuff(content);
        if (random.Next(25) == 0)
        {
            // Drop the connection mid-DATA: nothing of this transaction may be stored.
            await client.SendAsync(wire[..(wire.Length / 2)]);
            throw new OperationCanceledException("dropped mid-DATA");
        }

        await SendInWritesAsync(client, [.. wire, .. ".\r\n"u8]);
        return await client.ReadReplyAsync();
    }

    private async Task<RawReply?> SendChunksAsync(RawSmtpClient client, byte[] content)
    {
        var chunks = new List<byte[]>();
        var position = 0;
        while (position < content.Length)
        {
            var size = Math.Min(content.Length - position, random.Next(1, 3000));
            chunks.Add(content[position..(position + size)]);
            position += size;
        }

        var wire = new List<byte>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var last = i == chunks.Count - 1 ? " LAST" : string.Empty;
            wire.AddRange(Encoding.ASCII.GetBytes($"BDAT {chunks[i].Length}{last}\r\n"));
            wire.AddRange(chunks[i]);
        }

        if (chunks.Count == 0)
        {
            wire.AddRange("BDAT 0 LAST\r\n"u8);
        }

        await SendInWritesAsync(client, [.. wire]);
        RawReply? reply = null;
        for (var i = 0; i < Math.Max(1, chunks.Count); i++)
        {
            reply = await client.ReadReplyAsync();
        }

        return reply;
    }

    // A proper envelope, then DATA content mixed with hostile pieces and stray terminators: whatever the server
    // acknowledges must be one of the contents the stream could mean.
    private async Task MutatedDataAsync(RawSmtpClient client, ConcurrentDictionary<Guid, IReadOnlyList<byte[]>> acked)
    {
        await client.SendAsync("EHLO fuzz.test\r\nMAIL FROM:<s@fuzz.test>\r\nRCPT TO:<r@fuzz.test>\r\nDATA\r\n");
        for (var i = 0; i < 4; i++)
        {
            await client.ReadReplyAsync();
        }

        var stream = new List<byte>("DATA\r\n"u8.ToArray());
        for (var pieces = random.Next(1, 12); pieces > 0; pieces--)
        {
            stream.AddRange(random.Next(2) == 0 ? FuzzContent.HostilePiece(random) : FuzzContent.Message(random, 600));
        }

        stream.AddRange("\r\n.\r\nQUIT\r\n"u8);
        var bytes = stream.ToArray();
        await SendUntilClosedAsync(client, bytes[6..]);
        Acknowledge(await client.ReadAllAsync(TimeSpan.FromSeconds(5)), ContentCandidates.From(bytes).ToList(), acked);
    }

    private async Task HostileAsync(RawSmtpClient client, ConcurrentDictionary<Guid, IReadOnlyList<byte[]>> acked)
    {
        var stream = new List<byte>();
        for (var pieces = random.Next(1, 40); pieces > 0; pieces--)
        {
            stream.AddRange(FuzzContent.HostilePiece(random));
        }

        // Bytes may go before the greeting has been read, in odd-sized writes with pauses in between.
        // The session always ends in QUIT and is read to its close: a 250 must never go unseen.
        var bytes = stream.ToArray();
        await SendUntilClosedAsync(client, [.. bytes, .. "\r\nQUIT\r\n"u8]);
        Acknowledge(await client.ReadAllAsync(TimeSpan.FromSeconds(5)), ContentCandidates.From(bytes).ToList(), acked);
    }

    private static void Acknowledge(
        IReadOnlyList<string> replies,
        IReadOnlyList<byte[]> candidates,
        ConcurrentDictionary<Guid, IReadOnlyList<byte[]>> acked)
    {
        foreach (var line in replies)
        {
            if (QueuedPattern().Match(line) is { Success: true } match)
            {
                acked[Guid.ParseExact(match.Groups[1].Value, "N")] = candidates;
            }
        }
    }

    // The server may close the connection while bytes are still on their way (421 after too many errors): the
    // write fails then, but the replies it sent before closing, a 250 among them perhaps, must still be read.
    private async Task SendUntilClosedAsync(RawSmtpClient client, byte[] bytes)
    {
        try
        {
            await SendInWritesAsync(client, bytes);
        }
        catch (IOException)
        {
        }
    }

    private async Task SendInWritesAsync(RawSmtpClient client, byte[] bytes)
    {
        var position = 0;
        while (position < bytes.Length)
        {
            var left = bytes.Length - position;
            var size = random.Next(4) == 0 ? left : Math.Min(left, random.Next(1, 700));
            await client.SendAsync(bytes[position..(position + size)]);
            position += size;
            if (random.Next(6) == 0)
            {
                await Task.Delay(random.Next(1, 4));
            }
        }
    }

    private static Guid QueueId(RawReply reply) =>
        Guid.ParseExact(QueuedPattern().Match(reply.Lines[^1]).Groups[1].Value, "N");

    [GeneratedRegex("^250 2\\.0\\.0 Ok: queued as ([0-9a-f]{32})$")]
    private static partial Regex QueuedPattern();
}
