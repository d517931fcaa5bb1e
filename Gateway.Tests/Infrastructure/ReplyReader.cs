using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>Reads SMTP replies (multi-line ones whole) from a raw socket, for transcript-level tests.</summary>
public sealed class ReplyReader(Socket socket)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly List<byte> pending = [];

    /// <summary>
    /// Returns the next complete reply, its lines joined by '\n' without CRLF (e.g. "250-a\n250 b"); throws
    /// <see cref="IOException"/> if the connection closes first.
    /// </summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return string.Join('\n', lines);
            }
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var chunk = new byte[4096];
        while (true)
        {
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString([.. pending.Take(newline)]).TrimEnd('\r');
                pending.RemoveRange(0, newline + 1);
                return line;
            }

            using var timeout = new CancellationTokenSource(ReadTimeout);
            var read = await socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException("The server closed the connection before a complete reply.");
            }

            pending.AddRange(chunk.AsSpan(0, read));
        }
    }
}
