using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.Webhooks;

/// <summary>
/// The <c>Gateway-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>, the HMAC keyed
/// with the subscription's secret over <c>&lt;t&gt;.&lt;body&gt;</c>. The timestamp lets receivers refuse replays.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Gateway-Signature";

    public static string Create(string secret, long unixSeconds, string body)
    {
        var signed = string.Create(CultureInfo.InvariantCulture, $"{unixSeconds}.{body}");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed));
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}");
    }
}
