using System.Globalization;
using System.Text;

namespace Gateway.Smtp.Relay.Notices;

/// <summary>RFC 3461 §4: xtext, where "+" and two hex digits stand for one octet.</summary>
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
}
