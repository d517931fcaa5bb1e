using System.Buffers;
using Gateway.Smtp.Session;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Reads mail data (RFC 5321 §4.1.1.4): removes dot-stuffing (§4.5.2) and stops at a line holding only a period.
/// Only CRLF ends a line here, so <c>&lt;LF&gt;.&lt;LF&gt;</c>, <c>&lt;CR&gt;.&lt;CR&gt;</c> and their mixtures never end the
/// data; a message containing a bare CR or LF is read to its real end and then refused (docs/smtp.md).
/// </summary>
public sealed class MessageContentReader(long maxSize)
{
    // A line longer than this is passed through in pieces so that a client without line breaks cannot grow the
    // pipe's buffer without bound.
    private const int PieceThreshold = 16 * 1024;

    private bool _atLineStart = true;
    private long _size;
    private bool _tooBig;
    private bool _bareLineEnding;

    public DataOutcome Outcome =>
        _tooBig ? DataOutcome.TooBig : _bareLineEnding ? DataOutcome.BareLineEnding : DataOutcome.Complete;

    /// <summary>Consumes what it can of <paramref name="buffer"/>; true once the terminating line was read.</summary>
    public bool TryConsume(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> content)
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
    private bool ConsumeLine(ReadOnlySequence<byte> line, IBufferWriter<byte> content)
    {
        var endsWithCr = !line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
        var text = endsWithCr ? line.Slice(0, line.Length - 1) : line;

        if (_atLineStart && endsWithCr && text.Length == 1 && text.FirstSpan[0] == (byte)'.')
        {
            return true;
        }

        if (!endsWithCr || text.PositionOf((byte)'\r') is not null)
        {
            _bareLineEnding = true;
        }

        if (_atLineStart && !line.IsEmpty && line.FirstSpan[0] == (byte)'.')
        {
            line = line.Slice(1);
        }

        Append(line, content);
        Append(NewLine, content);
        _atLineStart = endsWithCr;
        return false;
    }

    // Part of a long line: any CR inside is bare, since the line's end is not in this piece.
    private void ConsumePiece(ReadOnlySequence<byte> piece, IBufferWriter<byte> content)
    {
        if (piece.PositionOf((byte)'\r') is not null)
        {
            _bareLineEnding = true;
        }

        if (_atLineStart && piece.FirstSpan[0] == (byte)'.')
        {
            piece = piece.Slice(1);
        }

        Append(piece, content);
        _atLineStart = false;
    }

    private static ReadOnlySequence<byte> NewLine { get; } = new("\n"u8.ToArray());

    private void Append(ReadOnlySequence<byte> bytes, IBufferWriter<byte> content)
    {
        _size += bytes.Length;
        if (_size > maxSize)
        {
            // Past the limit: keep reading to the terminator so the reply lands in sync, but store nothing more.
            _tooBig = true;
            return;
        }

        foreach (var segment in bytes)
        {
            content.Write(segment.Span);
        }
    }
}
