using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Gateway.Api.Api;

/// <summary>A keyset position in the newest-first listing: the (received_at, id) of the last item seen.</summary>
public readonly record struct MessageCursor(DateTimeOffset ReceivedAt, Guid Id)
{
    public override string ToString() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{ReceivedAt.UtcTicks}:{Id:N}")));

    public static bool TryParse(string? text, out MessageCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (parts.Length == 2 &&
                long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new MessageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
            // Fall through: not a cursor we issued.
        }

        return false;
    }
}
