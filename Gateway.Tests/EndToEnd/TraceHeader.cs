using System.Text;

namespace Gateway.Tests.EndToEnd;

/// <summary>Splits relayed content into its first header field (ours) and the rest.</summary>
internal static class TraceHeader
{
    public static (string First, byte[] Remainder) SplitFirstField(byte[] content)
    {
        for (var i = 0; i + 2 < content.Length; i++)
        {
            // A field ends at a CRLF that is not followed by folding whitespace.
            if (content[i] == '\r' && content[i + 1] == '\n' && content[i + 2] is not ((byte)' ' or (byte)'\t'))
            {
                return (Encoding.ASCII.GetString(content, 0, i + 2), content[(i + 2)..]);
            }
        }

        return (Encoding.ASCII.GetString(content), []);
    }
}
