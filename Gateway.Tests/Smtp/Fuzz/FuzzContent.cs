using System.Text;

namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>Random message content and wire pieces, biased towards what breaks SMTP servers.</summary>
internal static class FuzzContent
{
    private static readonly string[] Terminators =
        ["\r\n.\r\n", "\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\r\n.\r\r\n", ".\r\n", "\r\n..\r\n", "\r\n.\r"];

    private static readonly string[] Commands =
    [
        "EHLO fuzz.test\r\n", "HELO fuzz.test\r\n", "MAIL FROM:<f@fuzz.test>\r\n", "MAIL FROM:<>\r\n",
        "RCPT TO:<r@fuzz.test>\r\n", "RCPT TO:<r2@fuzz.test> NOTIFY=FAILURE\r\n", "DATA\r\n", "RSET\r\n",
        "NOOP\r\n", "mail from:<f@fuzz.test> SMTPUTF8\r\n", "RCPT TO:<\"q r\"@[192.0.2.1]>\r\n", "VRFY x\r\n",
        "MAIL FROM:<f@fuzz.test> SIZE=999999999\r\n", "BDAT x\r\n", "STARTTLS\r\n", "AUTH PLAIN\r\n",
    ];

    /// <summary>A message, well formed or (sometimes) with a flaw the server must refuse.</summary>
    public static byte[] Message(Random random, int maxSize)
    {
        var text = new List<byte>();
        text.AddRange(Encoding.ASCII.GetBytes($"Message-ID: <{random.Next()}@fuzz.test>\r\nSubject: fuzz\r\n"));
        var received = random.Next(8) == 0 ? random.Next(95, 106) : random.Next(3);
        for (var i = 0; i < received; i++)
        {
            text.AddRange("Received: from a by b; Fri, 4 Dec 2026 16:00:00 +0000\r\n"u8);
        }

        text.AddRange("\r\n"u8);
        var size = random.Next(10) == 0 ? random.Next(maxSize - 500, maxSize + 2000) : random.Next(0, 4000);
        while (text.Count < size)
        {
            text.AddRange(Line(random));
        }

        return [.. text];
    }

    // One line ending in CRLF; mostly printable, sometimes with dots, 8-bit bytes, NUL, long runs or a bare CR/LF.
    private static byte[] Line(Random random)
    {
        var line = new List<byte>();
        switch (random.Next(12))
        {
            case 0:
                line.Add((byte)'.');
                break;
            case 1:
                line.AddRange(".."u8);
                break;
        }

        var length = random.Next(12) == 0 ? random.Next(990, 1100) : random.Next(0, 80);
        for (var i = 0; i < length; i++)
        {
            line.Add(random.Next(40) switch
            {
                0 => (byte)random.Next(0x80, 0x100),
                1 => 0,
                2 => (byte)'.',
                _ => (byte)random.Next(0x20, 0x7F),
            });
        }

        if (random.Next(60) == 0)
        {
            line.Insert(random.Next(line.Count + 1), random.Next(2) == 0 ? (byte)'\r' : (byte)'\n');
        }

        if (random.Next(80) == 0)
        {
            line.AddRange(Encoding.ASCII.GetBytes(Terminators[random.Next(1, Terminators.Length)]));
        }

        line.AddRange("\r\n"u8);
        return [.. line];
    }

    /// <summary>A hostile piece: random bytes, a command (maybe cut short), a huge line, a stray terminator.</summary>
    public static byte[] HostilePiece(Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                var command = Commands[random.Next(Commands.Length)];
                return Encoding.ASCII.GetBytes(command[..random.Next(1, command.Length)]);
            case 2:
                return Encoding.ASCII.GetBytes(new string('A', random.Next(500, 5000)) +
                    (random.Next(2) == 0 ? "\r\n" : string.Empty));
            case 3:
                return Encoding.ASCII.GetBytes(Terminators[random.Next(Terminators.Length)]);
            case 4:
                var chunk = Line(random);
                return [.. Encoding.ASCII.GetBytes($"BDAT {chunk.Length} LAST\r\n"), .. chunk];
            default:
                return Encoding.ASCII.GetBytes(Commands[random.Next(Commands.Length)]);
        }
    }

    /// <summary>Dot-stuffs content for DATA (RFC 5321 §4.5.2): a leading period of a CRLF line is doubled.</summary>
    public static byte[] DotStuff(byte[] content)
    {
        var wire = new List<byte>(content.Length + 16);
        var lineStart = true;
        for (var i = 0; i < content.Length; i++)
        {
            if (lineStart && content[i] == (byte)'.')
            {
                wire.Add((byte)'.');
            }

            wire.Add(content[i]);
            lineStart = content[i] == (byte)'\n' && i > 0 && content[i - 1] == (byte)'\r';
        }

        return [.. wire];
    }
}
