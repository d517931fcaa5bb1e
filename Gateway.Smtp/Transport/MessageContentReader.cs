using System.Buffers;
using Gateway.Smtp.Session;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Reads mail data (RFC 5321 §4.1.1.4): removes dot-stuffing (§4.5.2) and stops at a line holding only a period.
/// Only CRLF ends a line here, so <c>&lt;LF&gt;.&lt;LF&gt;</c>, <c>&lt;CR&gt;.&lt;CR&gt;</c> and their mixtures never end the
/// data; the unstuffed content goes to a <see cref="ContentInspector"/>, which refuses a bare CR or LF once the
/// data has been read to its real end (docs/smtp.md).
/// </summary>
public sealed class MessageContentReader
{
    // A line longer than this is passed through in pieces so that a client without line breaks cannot grow the
    // pipe's buffer without bound.
    private const int PieceThreshold = 16 * 1024;

    private bool _atLineStart = true;

    /// <summary>Consumes what it can of <paramref name="buffer"/>; true once the terminating line was read.</summary>
    public bool TryConsume(ref ReadOnlySequence<byte> buffer, ContentInspector content)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
            {
                if (ConsumeLine(line, content))
                {
                    return true;
                }
            }

            if (reader.Remaining > PieceThreshold)
            {
                // Keep the last byte back: it may be the CR of a CRLF whose LF has not arrived yet.
                var piece = reader.UnreadSequence.Slice(0, reader.Remaining - 1);
                ConsumePiece(piece, content);
                reader.Advance(piece.Length);
            }

            return false;
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    // One line without its LF. Returns true for the terminator.
    private bool ConsumeLine(ReadOnlySequence<byte> line, ContentInspector content)
    {
        var endsWithCr = !line.IsEmpty && First(line.Slice(line.Length - 1)) == (byte)'\r';
        if (_atLineStart && endsWithCr && line.Length == 2 && First(line) == (byte)'.')
        {
            return true;
        }

        if (_atLineStart && !line.IsEmpty && First(line) == (byte)'.')
        {
            line = line.Slice(1);
        }

        content.Append(line);
        content.Append("\n"u8);
        _atLineStart = endsWithCr;
        return false;
    }

    // Part of a long line: the line's end is not in this piece, so the next piece does not start a line.
    private void ConsumePiece(ReadOnlySequence<byte> piece, ContentInspector content)
    {
        if (_atLineStart && First(piece) == (byte)'.')
        {
            piece = piece.Slice(1);
        }

        content.Append(piece);
        _atLineStart = false;
    }

    // A slice may begin at the end of a segment, where FirstSpan is empty; the reader skips such segments.
    private static byte First(ReadOnlySequence<byte> bytes)
    {
        var reader = new SequenceReader<byte>(bytes);
        return reader.TryPeek(out var first) ? first : (byte)0;
    }
}
