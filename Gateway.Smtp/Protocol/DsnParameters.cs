namespace Gateway.Smtp.Protocol;

/// <summary>
/// Checks the DSN parameters of RFC 3461 (§4): RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT. Values are kept
/// as the client sent them (ENVID and ORCPT stay xtext-encoded), so the relay can pass them on unchanged (§4.1).
/// </summary>
public static class DsnParameters
{
    private const int MaxEnvelopeId = 100;          // RFC 3461 §4.4
    private const int MaxOriginalRecipient = 500;   // §4.2

    /// <summary>RET=FULL or RET=HDRS; returns the upper-cased keyword.</summary>
    public static bool TryParseReturn(string? value, out string ret)
    {
        ret = value?.ToUpperInvariant() ?? string.Empty;
        return ret is "FULL" or "HDRS";
    }

    public static bool IsValidEnvelopeId(string? value) =>
        value is { Length: > 0 and <= MaxEnvelopeId } && IsXtext(value, allowUtf8: false);

    /// <summary>NOTIFY=NEVER, or a comma list of SUCCESS, FAILURE and DELAY, each at most once (§4.1).</summary>
    public static bool TryParseNotify(string? value, out string notify)
    {
        notify = string.Empty;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var items = value.ToUpperInvariant().Split(',');
        if (items is ["NEVER"])
        {
            notify = "NEVER";
            return true;
        }

        if (items.Any(i => i is not ("SUCCESS" or "FAILURE" or "DELAY")) || items.Distinct().Count() != items.Length)
        {
            return false;
        }

        notify = string.Join(',', items);
        return true;
    }

    /// <summary>ORCPT=addr-type;xtext (§4.2): <c>rfc822;user@example.com</c>, or <c>utf-8;...</c> (RFC 6533).</summary>
    public static bool IsValidOriginalRecipient(string? value)
    {
        if (value is null || value.Length > MaxOriginalRecipient)
        {
            return false;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0 || semicolon == value.Length - 1)
        {
            return false;
        }

        var addressType = value[..semicolon];
        if (!addressType.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        var allowUtf8 = addressType.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return IsXtext(value[(semicolon + 1)..], allowUtf8);
    }

    // xtext = *( xchar / hexchar ), xchar = "!".."~" except "+" and "=", hexchar = "+" 2(%x30-39 / %x41-46).
    private static bool IsXtext(string value, bool allowUtf8)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+')
            {
                if (i + 2 >= value.Length || !IsUpperHex(value[i + 1]) || !IsUpperHex(value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (c == '=' || c < '!' || (c > '~' && !(allowUtf8 && c >= 0x80 && c != '\uFFFD')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
