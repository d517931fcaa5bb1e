using System.Text;
using Gateway.Smtp;

namespace Gateway.Tests.Smtp.Support;

/// <summary>
/// One raw-socket conversation: exact bytes to send, the reply code and enhanced status code expected for each
/// reply, whether the server closes, and what the store holds afterwards. Runs against a fresh listener.
/// </summary>
internal sealed class Transcript(string name)
{
    private readonly List<Func<RawSmtpClient, SmtpTestServer, Task>> _steps = [];
    private readonly List<string> _script = [];

    public string Name { get; } = name;

    public Action<SmtpOptions>? Configure { get; private set; }

    public Transcript With(Action<SmtpOptions> configure)
    {
        Configure = configure;
        return this;
    }

    public Transcript Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public Transcript Send(byte[] bytes)
    {
        _script.Add($"C: {Printable(bytes)}");
        _steps.Add((client, _) => client.SendAsync(bytes));
        return this;
    }

    /// <summary>Sends the bytes one write at a time, with a short pause between writes (split packets).</summary>
    public Transcript SendInPieces(params string[] pieces) => SendSlowly(TimeSpan.FromMilliseconds(30), pieces);

    public Transcript SendSlowly(TimeSpan gap, params string[] pieces)
    {
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                _steps.Add((_, _) => Task.Delay(gap));
            }

            Send(pieces[i]);
        }

        return this;
    }

    /// <summary>A BDAT command with the exact octet count of its chunk, and the chunk.</summary>
    public Transcript Bdat(string chunk, bool last = false)
    {
        var bytes = Encoding.UTF8.GetBytes(chunk);
        return Send([.. Encoding.ASCII.GetBytes($"BDAT {bytes.Length}{(last ? " LAST" : "")}\r\n"), .. bytes]);
    }

    /// <summary>
    /// Expects a reply with this code and exactly this enhanced status code (null: none at all), optionally with
    /// a text fragment and within a time limit.
    /// </summary>
    public Transcript Expect(int code, string? enhancedCode, string? text = null, TimeSpan? within = null)
    {
        _script.Add($"S: {code} {enhancedCode} {text}");
        _steps.Add(async (client, _) =>
        {
            var reply = await client.ReadReplyAsync(within);
            var matches = code == reply.Code && enhancedCode == reply.EnhancedCode &&
                (text is null || reply.Text.Contains(text, StringComparison.Ordinal));
            Assert.True(matches,
                $"{Name}: expected {code} {enhancedCode} {text}, got \"{reply.Text}\"\n{string.Join('\n', _script)}");
        });
        return this;
    }

    public Transcript ExpectClosed()
    {
        _script.Add("S: <close>");
        _steps.Add(async (client, _) => Assert.True(await client.IsClosedAsync(), $"{Name}: connection still open"));
        return this;
    }

    public Transcript Ehlo() => Send("EHLO client.test\r\n").Expect(250, null);

    /// <summary>EHLO, then MAIL and one RCPT, both accepted.</summary>
    public Transcript Envelope(string mailParameters = "", string rcptParameters = "") =>
        Ehlo()
            .Send($"MAIL FROM:<sender@example.test>{mailParameters}\r\n").Expect(250, "2.1.0")
            .Send($"RCPT TO:<rcpt@example.test>{rcptParameters}\r\n").Expect(250, "2.1.5");

    public Transcript Stores(int count)
    {
        _steps.Add((_, server) =>
        {
            Assert.True(count == server.Store.Messages.Count,
                $"{Name}: expected {count} stored message(s), found {server.Store.Messages.Count}");
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Expects exactly one stored message, whose content after our Received header is this.</summary>
    public Transcript StoresContent(string clientContent) =>
        StoresOne(m => Assert.Equal(clientContent, m.ClientContent));

    public Transcript StoresOne(Action<StoredMessage> check)
    {
        _steps.Add((_, server) =>
        {
            check(Assert.Single(server.Store.Messages));
            return Task.CompletedTask;
        });
        return this;
    }

    public async Task RunAsync()
    {
        await using var server = await SmtpTestServer.StartAsync(Configure);
        await using var client = await server.ConnectAsync();
        var greeting = await client.ReadReplyAsync();
        Assert.Equal(220, greeting.Code);
        foreach (var step in _steps)
        {
            await step(client, server);
        }
    }

    public override string ToString() => Name;

    private static string Printable(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Length > 80)
        {
            text = text[..80] + $"...({bytes.Length} bytes)";
        }

        return text.Replace("\r", "<CR>", StringComparison.Ordinal).Replace("\n", "<LF>", StringComparison.Ordinal);
    }
}
