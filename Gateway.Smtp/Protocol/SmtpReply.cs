using System.Buffers;
using System.Text;

namespace Gateway.Smtp.Protocol;

/// <summary>An SMTP reply: a three-digit code, an enhanced status code (RFC 3463) and text lines.</summary>
public sealed record SmtpReply(int Code, string? EnhancedCode, params string[] Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary>Writes the reply in wire form; every line but the last uses the "code-" continuation (RFC 5321 §4.2.1).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            var separator = i == Lines.Length - 1 ? ' ' : '-';
            var line = EnhancedCode is null
                ? $"{Code}{separator}{Lines[i]}\r\n"
                : $"{Code}{separator}{EnhancedCode} {Lines[i]}\r\n";
            Encoding.ASCII.GetBytes(line, output);
        }
    }

    public override string ToString() => EnhancedCode is null
        ? $"{Code} {string.Join(" / ", Lines)}"
        : $"{Code} {EnhancedCode} {string.Join(" / ", Lines)}";
}
