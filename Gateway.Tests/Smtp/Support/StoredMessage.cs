using System.Text;
using Gateway.Core.Ingest;

namespace Gateway.Tests.Smtp.Support;

/// <summary>A committed message, its content copied out of the session's buffer.</summary>
internal sealed record StoredMessage(IncomingMessage Envelope, byte[] Content)
{
    /// <summary>The content after our own Received header, which is the first header and ends at the first CRLF
    /// not followed by a tab.</summary>
    public string ClientContent
    {
        get
        {
            var text = Encoding.UTF8.GetString(Content);
            Assert.StartsWith("Received: from ", text, StringComparison.Ordinal);
            var end = 0;
            do
            {
                end = text.IndexOf("\r\n", end, StringComparison.Ordinal) + 2;
            }
            while (end < text.Length && text[end] == '\t');
            return text[end..];
        }
    }
}
