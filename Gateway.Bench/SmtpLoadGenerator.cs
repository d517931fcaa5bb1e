using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// Sessions that each take the next message number, wait for its slot when a rate is set, and send it: on a new
/// connection or an open one, command by command or MAIL/RCPT/DATA in one write (PIPELINING). The latency is the
/// time from writing the final ".CRLF" to reading the reply.
/// </summary>
public sealed class SmtpLoadGenerator(LoadPlan plan)
{
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly byte[] _content = MessageBody(plan.Size);
    private int _next = -1;
    private int _accepted;
    private int _rejected;
    private int _errors;
    private Stopwatch _clock = new();

    public async Task<LoadResult> RunAsync()
    {
        _clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, plan.Sessions).Select(_ => Task.Run(SessionLoopAsync)));
        return new LoadResult(_accepted, _rejected, _errors, [.. _latencies]);
    }

    private async Task SessionLoopAsync()
    {
        while (Volatile.Read(ref _next) < plan.Messages - 1)
        {
            try
            {
                await OneConnectionAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }

    private async Task OneConnectionAsync()
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", plan.Port);
        var stream = client.GetStream();
        var reader = new ReplyLineReader(stream);
        await reader.ReadReplyAsync();
        await stream.WriteAsync("EHLO load.bench\r\n"u8.ToArray());
        await reader.ReadReplyAsync();

        for (var sent = 0; sent < plan.PerConnection; sent++)
        {
            var number = Interlocked.Increment(ref _next);
            if (number >= plan.Messages)
            {
                break;
            }

            await WaitForSlotAsync(number);
            if (!await SendOneAsync(stream, reader, number))
            {
                break;
            }
        }

        await stream.WriteAsync("QUIT\r\n"u8.ToArray());
        await reader.ReadReplyAsync();
    }

    private async Task WaitForSlotAsync(int number)
    {
        if (plan.Rate <= 0)
        {
            return;
        }

        var due = TimeSpan.FromSeconds((double)number / plan.Rate) - _clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due);
        }
    }

    private async Task<bool> SendOneAsync(NetworkStream stream, ReplyLineReader reader, int number)
    {
        var mail = Encoding.ASCII.GetBytes($"MAIL FROM:<load{number}@bench.example>\r\n");
        var rcpt = Encoding.ASCII.GetBytes($"RCPT TO:<sink{number % 100}@sink.example>\r\n");
        var data = "DATA\r\n"u8.ToArray();
        int mailReply, rcptReply, dataReply;
        if (plan.Pipelining)
        {
            await stream.WriteAsync(mail.Concat(rcpt).Concat(data).ToArray());
            mailReply = await reader.ReadReplyAsync();
            rcptReply = await reader.ReadReplyAsync();
            dataReply = await reader.ReadReplyAsync();
        }
        else
        {
            await stream.WriteAsync(mail);
            mailReply = await reader.ReadReplyAsync();
            await stream.WriteAsync(rcpt);
            rcptReply = await reader.ReadReplyAsync();
            await stream.WriteAsync(data);
            dataReply = await reader.ReadReplyAsync();
        }

        if (mailReply != 250 || rcptReply != 250 || dataReply != 354)
        {
            Interlocked.Increment(ref _rejected);
            await stream.WriteAsync("RSET\r\n"u8.ToArray());
            await reader.ReadReplyAsync();
            return dataReply != 354;
        }

        await stream.WriteAsync(_content);
        var started = Stopwatch.GetTimestamp();
        var reply = await reader.ReadReplyAsync();
        _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Increment(ref reply == 250 ? ref _accepted : ref _rejected);
        return true;
    }

    /// <summary>A plain message of about the given size, lines of 76 characters, ending with ".CRLF".</summary>
    private static byte[] MessageBody(int size)
    {
        var text = new StringBuilder(size + 256);
        text.Append("From: load@bench.example\r\nTo: sink@sink.example\r\nSubject: benchmark\r\n")
            .Append("Message-ID: <bench@bench.example>\r\n\r\n");
        var line = new string('x', 76) + "\r\n";
        while (text.Length < size)
        {
            text.Append(line);
        }

        text.Append(".\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
