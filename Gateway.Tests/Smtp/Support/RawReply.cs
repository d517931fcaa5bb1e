using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Smtp.Support;

/// <summary>A reply as read off the wire: code, enhanced status code of the last line (if any), lines.</summary>
internal sealed partial record RawReply(int Code, string? EnhancedCode, IReadOnlyList<string> Lines)
{
    public string Text => string.Join(" / ", Lines);

    public static RawReply Parse(IReadOnlyList<string> lines)
    {
        var last = lines[^1];
        var code = int.Parse(last.AsSpan(0, 3), CultureInfo.InvariantCulture);
        var match = EnhancedCodePattern().Match(last);
        return new RawReply(code, match.Success ? match.Groups[1].Value : null, lines);
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3}) ")]
    private static partial Regex EnhancedCodePattern();
}
