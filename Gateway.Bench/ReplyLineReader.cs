using System.Text;

namespace Gateway.Bench;

/// <summary>Reads CRLF-terminated lines from a stream into one growing buffer, without allocating per line.</summary>
public sealed class ReplyLineReader(Stream stream)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>True when bytes that were already received are waiting; a server flushes replies only when not.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>The next line without its line ending, or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync()
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                var line = new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end));
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Reads one (possibly multi-line) SMTP reply and returns its code; throws if the stream ends.</summary>
    public async ValueTask<int> ReadReplyAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException("The server closed the connection.");
            if (line.Length < 3)
            {
                throw new IOException("Malformed reply: " + Encoding.ASCII.GetString(line.Span));
            }

            if (line.Length == 3 || line.Span[3] != '-')
            {
                var span = line.Span;
                return ((span[0] - '0') * 100) + ((span[1] - '0') * 10) + (span[2] - '0');
            }
        }
    }
}
