using System.Text.RegularExpressions;

namespace Gateway.Smtp.Relay;

/// <summary>A reply from the next hop: code, enhanced status code when given (RFC 3463), and text.</summary>
public sealed partial record NextHopReply(int Code, string? EnhancedCode, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public static NextHopReply Parse(int code, IReadOnlyList<string> lines)
    {
        var text = string.Join(" ", lines);
        var match = EnhancedCodePattern().Match(text);
        return match.Success
            ? new NextHopReply(code, match.Groups[1].Value, text[match.Length..])
            : new NextHopReply(code, null, text);
    }

    public override string ToString() => EnhancedCode is null ? $"{Code} {Text}" : $"{Code} {EnhancedCode} {Text}";

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3}) ?")]
    private static partial Regex EnhancedCodePattern();
}
