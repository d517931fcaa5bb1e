using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// A minimal SMTP sink on loopback that accepts everything (with PIPELINING) and counts messages; every 50 ms it
/// writes "count lastArrivalUnixMs" to the stats file so the load generator can time end-to-end delivery. With a
/// save directory it also writes each message there (dot-unstuffed, CRLF lines) for people trying the gateway out;
/// the benchmark does not use that.
/// </summary>
public static class SinkServer
{
    private static readonly byte[] Greeting = "220 sink.bench ESMTP\r\n"u8.ToArray();
    private static readonly byte[] Capabilities =
        "250-sink.bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 104857600\r\n250 SMTPUTF8\r\n"u8.ToArray();
    private static readonly byte[] Ok = "250 2.0.0 Ok\r\n"u8.ToArray();
    private static readonly byte[] StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();
    private static readonly byte[] Bye = "221 2.0.0 Bye\r\n"u8.ToArray();

    private static long s_count;
    private static long s_saved;
    private static long s_lastArrival;

    public static async Task RunAsync(int port, string statsFile, string saveDirectory)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(1024);
        if (statsFile.Length > 0)
        {
            _ = Task.Run(() => WriteStatsAsync(statsFile));
        }

        if (saveDirectory.Length > 0)
        {
            // A sink started again on the same folder goes on after the files already there.
            Directory.CreateDirectory(saveDirectory);
            s_saved = Directory.EnumerateFiles(saveDirectory, "*.eml")
                .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None,
                    CultureInfo.InvariantCulture, out var n) ? n : 0)
                .DefaultIfEmpty(0).Max();
        }

        Console.WriteLine($"sink listening on 127.0.0.1:{port}" +
                          (saveDirectory.Length > 0 ? $", saving messages to {Path.GetFullPath(saveDirectory)}" : ""));
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client, saveDirectory));
        }
    }

    private static async Task WriteStatsAsync(string statsFile)
    {
        while (true)
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{Interlocked.Read(ref s_count)} {Interlocked.Read(ref s_lastArrival)}\n");
            var temporary = statsFile + ".tmp";
            await File.WriteAllTextAsync(temporary, text);
            File.Move(temporary, statsFile, overwrite: true);
            await Task.Delay(50);
        }
    }

    private static async Task ServeAsync(TcpClient client, string saveDirectory)
    {
        using var owned = client;
        try
        {
            var stream = client.GetStream();
            var reader = new ReplyLineReader(stream);
            var replies = new MemoryStream();
            await stream.WriteAsync(Greeting);
            var inData = false;
            MemoryStream? message = null;
            while (true)
            {
                if (!reader.HasBufferedData && replies.Length > 0)
                {
                    await stream.WriteAsync(replies.GetBuffer().AsMemory(0, (int)replies.Length));
                    replies.SetLength(0);
                }

                var read = await reader.ReadLineAsync();
                if (read is not { } line)
                {
                    return;
                }

                if (inData)
                {
                    if (line.Length == 1 && line.Span[0] == '.')
                    {
                        inData = false;
                        Interlocked.Increment(ref s_count);
                        Interlocked.Exchange(ref s_lastArrival, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                        if (message is not null)
                        {
                            var number = Interlocked.Increment(ref s_saved);
                            await using (var file = new FileStream(Path.Combine(saveDirectory, $"{number:D6}.eml"),
                                             FileMode.CreateNew, FileAccess.Write))
                            {
                                await file.WriteAsync(message.GetBuffer().AsMemory(0, (int)message.Length));
                            }

                            message = null;
                        }

                        replies.Write(Ok);
                    }
                    else if (message is not null)
                    {
                        // RFC 5321 §4.5.2: a line that starts with a dot had one added by the sender.
                        var content = line.Span;
                        message.Write(content.Length > 0 && content[0] == '.' ? content[1..] : content);
                        message.Write("\r\n"u8);
                    }

                    continue;
                }

                var verb = line.Length >= 4 ? Encoding.ASCII.GetString(line.Span[..4]).ToUpperInvariant() : "";
                switch (verb)
                {
                    case "EHLO":
                        replies.Write(Capabilities);
                        break;
                    case "DATA":
                        replies.Write(StartData);
                        inData = true;
                        message = saveDirectory.Length > 0 ? new MemoryStream() : null;
                        break;
                    case "QUIT":
                        replies.Write(Bye);
                        await stream.WriteAsync(replies.GetBuffer().AsMemory(0, (int)replies.Length));
                        return;
                    default:
                        replies.Write(Ok);
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The client went away; nothing to count.
        }
    }
}
