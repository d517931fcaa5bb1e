namespace Gateway.Smtp.Protocol;

/// <summary>The ESMTP parameters after a path (RFC 5321 §4.1.2 Mail-parameters / Rcpt-parameters).</summary>
public sealed record MailParameters(IReadOnlyDictionary<string, string?> Values)
{
    public static MailParameters Empty { get; } = new(new Dictionary<string, string?>());

    public string? this[string keyword] => Values.TryGetValue(keyword, out var value) ? value : null;

    public bool Has(string keyword) => Values.ContainsKey(keyword);

    /// <summary>
    /// Splits <c>KEY=VALUE KEY2</c> into keywords (upper-cased) and values; false on a malformed or repeated one.
    /// Extra spaces between parameters are tolerated, as clients really send them.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MailParameters parameters, out string? error)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        parameters = new MailParameters(values);
        error = null;
        foreach (var range in text.Split(' '))
        {
            var item = text[range];
            if (item.IsEmpty)
            {
                continue;
            }

            var equals = item.IndexOf('=');
            var keyword = (equals < 0 ? item : item[..equals]).ToString();
            if (!IsEsmtpKeyword(keyword))
            {
                error = $"Malformed parameter {Printable(keyword)}";
                return false;
            }

            string? value = null;
            if (equals >= 0)
            {
                if (!IsEsmtpValue(item[(equals + 1)..]))
                {
                    error = $"Malformed value of parameter {keyword}";
                    return false;
                }

                value = item[(equals + 1)..].ToString();
            }

            if (!values.TryAdd(keyword.ToUpperInvariant(), value))
            {
                error = $"Parameter {keyword} given twice";
                return false;
            }
        }

        return true;
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static bool IsEsmtpKeyword(string keyword) =>
        keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0]) &&
        keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii under RFC 6531 §4.4. Control characters (CR and
    // LF among them) never pass, so a value cannot inject a line into anything we write later.
    private static bool IsEsmtpValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            var ascii = c is >= (char)33 and <= (char)126 && c != '=';
            var nonAscii = c >= (char)0x80 && c != '\uFFFD' && !char.IsControl(c);
            if (!ascii && !nonAscii)
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string text) =>
        new(text.Take(32).Select(c => c is >= (char)32 and <= (char)126 ? c : '?').ToArray());
}
