namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>
/// A test-side model of what a server could have taken as message content from a raw byte stream: after any line
/// that starts with DATA, the dot-unstuffed lines up to CRLF.CRLF; after any <c>BDAT n LAST</c> line, the next n
/// octets. A stored message must equal one of them (RFC 5321 §4.5.2, RFC 3030 §2).
/// </summary>
internal static class ContentCandidates
{
    public static IEnumerable<byte[]> From(byte[] stream)
    {
        for (var i = 0; i < stream.Length; i++)
        {
            if (i > 0 && stream[i - 1] != (byte)'\n')
            {
                continue;
            }

            var lineEnd = Array.IndexOf(stream, (byte)'\n', i);
            if (lineEnd < 0)
            {
                yield break;
            }

            var line = System.Text.Encoding.Latin1.GetString(stream, i, lineEnd - i).TrimEnd('\r');
            if (line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) && Unstuff(stream, lineEnd + 1) is { } data)
            {
                yield return data;
            }

            var parts = line.Split(' ');
            if (parts is [var verb, var size, var last] && verb.Equals("BDAT", StringComparison.OrdinalIgnoreCase) &&
                last.Equals("LAST", StringComparison.OrdinalIgnoreCase) && int.TryParse(size, out var n) &&
                lineEnd + 1 + n <= stream.Length)
            {
                yield return stream[(lineEnd + 1)..(lineEnd + 1 + n)];
            }
        }
    }

    // Lines are split at CRLF only; a line holding just "." ends the data; a leading "." is removed.
    private static byte[]? Unstuff(byte[] stream, int start)
    {
        var content = new List<byte>();
        var position = start;
        while (true)
        {
            var end = IndexOfCrLf(stream, position);
            if (end < 0)
            {
                return null;
            }

            var line = stream.AsSpan(position, end - position);
            if (line is [(byte)'.'])
            {
                return [.. content];
            }

            content.AddRange(line.Length > 0 && line[0] == (byte)'.' ? line[1..] : line);
            content.AddRange("\r\n"u8);
            position = end + 2;
        }
    }

    private static int IndexOfCrLf(byte[] stream, int from)
    {
        var index = stream.AsSpan(from).IndexOf("\r\n"u8);
        return index < 0 ? -1 : from + index;
    }
}
