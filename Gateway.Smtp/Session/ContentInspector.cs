using System.Buffers;
using System.Text;

namespace Gateway.Smtp.Session;

/// <summary>
/// Sees every octet of a message's content as it will be stored (after dot-unstuffing for DATA, as sent for
/// BDAT) and judges it: size, bare CR or LF, header section size, <c>Received:</c> hops, lines over 998 octets.
/// It stores what it sees until the first fault, then only keeps counting, so a refused message costs no memory.
/// </summary>
public sealed class ContentInspector(SmtpOptions limits, IBufferWriter<byte> store)
{
    // RFC 5322 §2.1.1: a line MUST be no more than 998 characters, CRLF excluded.
    private const int MaxTextLine = 998;
    private static readonly byte[] ReceivedPrefix = "received:"u8.ToArray();

    private long _size;
    private long _headerSize;
    private bool _inHeader = true;
    private int _lineLength;
    private bool _previousCr;
    private bool _lineIsReceived;
    private int _receivedHeaders;

    public DataOutcome Outcome { get; private set; } = DataOutcome.Complete;

    /// <summary>Octets of content seen so far, stored or not.</summary>
    public long Size => _size;

    /// <summary>True when a line was longer than 998 octets; accepted and flagged (docs/smtp.md).</summary>
    public bool HasLongLines { get; private set; }

    public int ReceivedHeaders => _receivedHeaders;

    public void Append(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            Append(segment.Span);
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _size += bytes.Length;
        if (_size > limits.MaxMessageSize)
        {
            Fail(DataOutcome.TooBig);
        }

        Inspect(bytes);
        if (Outcome == DataOutcome.Complete)
        {
            store.Write(bytes);
        }
    }

    /// <summary>Called once the content is complete: a CR at the very end has no LF and is bare.</summary>
    public DataOutcome Finish()
    {
        if (_previousCr)
        {
            Fail(DataOutcome.BareLineEnding);
        }

        return Outcome;
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            var text = end < 0 ? bytes : bytes[..end];
            if (!text.IsEmpty)
            {
                if (_previousCr)
                {
                    Fail(DataOutcome.BareLineEnding);
                    _previousCr = false;
                }

                AddText(text);
            }

            if (end < 0)
            {
                return;
            }

            if (bytes[end] == (byte)'\r')
            {
                if (_previousCr)
                {
                    Fail(DataOutcome.BareLineEnding);
                }

                _previousCr = true;
            }
            else if (_previousCr)
            {
                _previousCr = false;
                EndLine();
            }
            else
            {
                Fail(DataOutcome.BareLineEnding);
                EndLine();
            }

            bytes = bytes[(end + 1)..];
        }
    }

    private void AddText(ReadOnlySpan<byte> text)
    {
        if (_inHeader && _lineLength < ReceivedPrefix.Length)
        {
            var start = _lineLength;
            var take = Math.Min(text.Length, ReceivedPrefix.Length - start);
            var matches = Ascii.EqualsIgnoreCase(text[..take], ReceivedPrefix.AsSpan(start, take));
            _lineIsReceived = (start == 0 || _lineIsReceived) && matches;
        }

        _lineLength += text.Length;
        if (_lineLength > MaxTextLine)
        {
            HasLongLines = true;
        }

        if (_inHeader && _headerSize + _lineLength > limits.MaxHeaderSize)
        {
            Fail(DataOutcome.HeaderTooBig);
        }
    }

    private void EndLine()
    {
        if (_inHeader)
        {
            if (_lineLength == 0)
            {
                _inHeader = false;
            }
            else
            {
                _headerSize += _lineLength + 2;
                if (_headerSize > limits.MaxHeaderSize)
                {
                    Fail(DataOutcome.HeaderTooBig);
                }

                var isReceived = _lineIsReceived && _lineLength >= ReceivedPrefix.Length;
                if (isReceived && ++_receivedHeaders > limits.MaxReceivedHeaders)
                {
                    Fail(DataOutcome.TooManyHops);
                }
            }
        }

        _lineLength = 0;
        _lineIsReceived = false;
    }

    private void Fail(DataOutcome outcome)
    {
        if (Outcome == DataOutcome.Complete)
        {
            Outcome = outcome;
        }
    }
}
