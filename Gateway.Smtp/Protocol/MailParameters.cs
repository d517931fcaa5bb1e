namespace Gateway.Smtp.Protocol;

/// <summary>The ESMTP parameters after a path (RFC 5321 §4.1.2 Mail-parameters / Rcpt-parameters).</summary>
public sealed record MailParameters(IReadOnlyDictionary<string, string?> Values)
{
    public static MailParameters Empty { get; } = new(new Dictionary<string, string?>());

    public string? this[string keyword] => Values.TryGetValue(keyword, out var value) ? value : null;

    public bool Has(string keyword) => Values.ContainsKey(keyword);

    /// <summary>Splits <c>KEY=VALUE KEY2</c> into keywords (upper-cased) and values; false on a malformed one.</summary>
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
                error = $"Malformed parameter {keyword}";
                return false;
            }

            values[keyword.ToUpperInvariant()] = equals < 0 ? null : item[(equals + 1)..].ToString();
        }

        return true;
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    private static bool IsEsmtpKeyword(string keyword) =>
        keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0]) &&
        keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
