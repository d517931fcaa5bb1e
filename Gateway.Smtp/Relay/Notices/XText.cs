using System.Globalization;
using System.Text;

namespace Gateway.Smtp.Relay.Notices;

/// <summary>
/// RFC 3461 §4: xtext, where "+" and two hex digits stand for one octet; and RFC 6533 §3: utf-8-addr-xtext, where
/// <c>\x{HEX}</c> stands for one Unicode scalar value.
/// </summary>
public static class XText
{
    public static string Decode(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+' && i + 2 < value.Length &&
                byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture,
                    out var octet))
            {
                bytes.Add(octet);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// A UTF-8 address as RFC 6533 §3 writes it in a 7-bit delivery-status field (<c>utf-8; jos\x{E9}@example</c>):
    /// printable ASCII stays, except "+", "=" and "\", which are escaped like every other character.
    /// </summary>
    public static string EncodeUtf8Address(string address)
    {
        var text = new StringBuilder(address.Length + 16);
        foreach (var rune in address.EnumerateRunes())
        {
            if (rune.Value is >= 0x21 and <= 0x7E && rune.Value is not ('+' or '=' or '\\'))
            {
                text.Append((char)rune.Value);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{{{rune.Value:X2}}}");
            }
        }

        return text.ToString();
    }
}
