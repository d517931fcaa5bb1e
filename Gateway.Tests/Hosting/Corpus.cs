namespace Gateway.Tests.Hosting;

/// <summary>The real-world messages in Gateway.Tests/Corpus, and the wire form a careful client makes of them.</summary>
internal static class Corpus
{
    public static string Directory { get; } = FindDirectory();

    public static IEnumerable<string> Files => System.IO.Directory
        .GetFiles(Path.Combine(Directory, "ruby-mail"), "*.eml", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal);

    public static string RelativeName(string path) => Path.GetRelativePath(Path.Combine(Directory, "ruby-mail"), path);

    /// <summary>
    /// The file as an SMTP client must send it: every bare LF or bare CR turned into CRLF, and a final CRLF.
    /// (The mbox "From " line some files start with is kept: it is content as far as SMTP is concerned.)
    /// </summary>
    public static byte[] ToCrLf(byte[] raw)
    {
        var output = new List<byte>(raw.Length + raw.Length / 20 + 2);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\r')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
                if (i + 1 < raw.Length && raw[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
            }
            else
            {
                output.Add(b);
            }
        }

        if (output.Count < 2 || output[^2] != '\r' || output[^1] != '\n')
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return [.. output];
    }

    /// <summary>Dot-stuffs CRLF content and appends the terminator (RFC 5321 §4.5.2).</summary>
    public static byte[] ToDataWire(byte[] crlfContent)
    {
        var output = new List<byte>(crlfContent.Length + 16);
        var atLineStart = true;
        foreach (var b in crlfContent)
        {
            if (atLineStart && b == '.')
            {
                output.Add((byte)'.');
            }

            output.Add(b);
            atLineStart = b == '\n';
        }

        output.AddRange(".\r\n"u8.ToArray());
        return [.. output];
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Gateway.Tests", "Corpus");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Gateway.Tests/Corpus not found above " + AppContext.BaseDirectory);
    }
}
