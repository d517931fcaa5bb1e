using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Smtp.Session;

/// <summary>Builds our trace header (RFC 5321 §4.4): who handed us the message, who we are, how and when.</summary>
public static class ReceivedHeader
{
    public static byte[] Build(
        string heloName,
        IPAddress clientAddress,
        string hostname,
        string protocol,
        string queueId,
        IReadOnlyList<string> recipients,
        DateTimeOffset at,
        TlsFacts? tls = null)
    {
        var literal = clientAddress.AddressFamily == AddressFamily.InterNetworkV6
            ? $"IPv6:{clientAddress}"
            : clientAddress.ToString();
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Received: from {heloName} ([{literal}])\r\n");
        builder.Append(CultureInfo.InvariantCulture, $"\tby {hostname} (Gateway) with {protocol}");

        // RFC 3848 names the protocol only; the TLS version and cipher go in a comment, as common servers do.
        if (tls is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $" ({tls.Protocol} cipher {tls.Cipher})");
        }

        builder.Append(CultureInfo.InvariantCulture, $" id {queueId}");

        // Naming the recipient is only safe when there is one: more would disclose Bcc recipients to each other.
        if (recipients.Count == 1)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\r\n\tfor <{recipients[0]}>");
        }

        builder.Append(CultureInfo.InvariantCulture, $"; {FormatDate(at)}\r\n");
        // UTF-8 only appears when the transaction used SMTPUTF8, whose headers may hold it (RFC 6531 §3.7).
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    // RFC 5322 §3.3 date-time, e.g. "Fri, 04 Dec 2026 16:18:58 +0000".
    private static string FormatDate(DateTimeOffset at) =>
        at.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) +
        at.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);
}
