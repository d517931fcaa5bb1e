using System.Collections.Concurrent;
using System.Net.Sockets;
using Gateway.Tests.Hosting;

namespace Gateway.Tests.Faults;

/// <summary>
/// Normal traffic for the fault tests: a number of clients sending small tagged messages back to back, each on a
/// new connection, until stopped. Every attempt is recorded with what the client could know about it.
/// </summary>
public sealed class MailLoad
{
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int> _port;
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];
    private Task _running = Task.CompletedTask;
    private int _next;

    /// <param name="port">Read before each connection, so a restarted gateway on another port is followed.</param>
    public MailLoad(Func<int> port)
    {
        _port = port;
    }

    public IReadOnlyList<SendRecord> Records => [.. _records];

    public int AcceptedCount => _records.Count(r => r.Outcome == SendOutcome.Accepted);

    public void Start(int clients)
    {
        _running = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientLoopAsync)));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    /// <summary>Waits until this many messages in all were accepted, or fails after the timeout.</summary>
    public async Task WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (AcceptedCount < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {AcceptedCount} of {count} messages were accepted in time");
            await Task.Delay(50);
        }
    }

    private async Task ClientLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var tag = $"{_prefix}-{Interlocked.Increment(ref _next)}";
            var record = await SendOneAsync(tag);
            if (record is null)
            {
                // Nothing listening (the gateway is down): try again shortly.
                await Task.Delay(50);
                continue;
            }

            _records.Enqueue(record);
            if (record.Outcome != SendOutcome.Accepted)
            {
                await Task.Delay(20);
            }
        }
    }

    private async Task<SendRecord?> SendOneAsync(string tag)
    {
        RawSmtpConnection smtp;
        try
        {
            smtp = await RawSmtpConnection.ConnectAsync(_port());
        }
        catch (SocketException)
        {
            return null;
        }

        await using (smtp)
        {
            var endSent = false;
            try
            {
                foreach (var (command, expected) in Commands(tag))
                {
                    var reply = command is null ? await smtp.ReadReplyAsync() : await smtp.CommandAsync(command);
                    if (!reply.StartsWith(expected, StringComparison.Ordinal))
                    {
                        return new SendRecord(tag, SendOutcome.Refused, reply, DateTime.UtcNow);
                    }
                }

                await smtp.SendAsync($"X-Fault-Tag: {tag}\r\nSubject: fault test\r\n\r\nBody of {tag}.\r\n");
                await smtp.SendAsync(".\r\n");
                endSent = true;
                var final = await smtp.ReadReplyAsync(TimeSpan.FromSeconds(60));
                var outcome = final.StartsWith("250", StringComparison.Ordinal) ? SendOutcome.Accepted
                    : SendOutcome.Refused;
                await TryQuitAsync(smtp);
                return new SendRecord(tag, outcome, final, DateTime.UtcNow);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                return new SendRecord(tag, endSent ? SendOutcome.InDoubt : SendOutcome.CutBeforeEnd, null,
                    DateTime.UtcNow);
            }
        }
    }

    private static IEnumerable<(string? Command, string Expected)> Commands(string tag)
    {
        yield return (null, "220");
        yield return ("EHLO load.test", "250");
        yield return ("MAIL FROM:<load@example.com>", "250");
        yield return ($"RCPT TO:<{tag}@example.net>", "250");
        yield return ("DATA", "354");
    }

    private static async Task TryQuitAsync(RawSmtpConnection smtp)
    {
        try
        {
            await smtp.CommandAsync("QUIT");
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The reply to DATA is what counts; a lost QUIT changes nothing.
        }
    }
}
