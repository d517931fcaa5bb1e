using System.Globalization;

namespace Gateway.Core.Events;

/// <summary>
/// A position in the events feed: the (transaction id, event id) of the last event read. Written as
/// <c>&lt;xid&gt;-&lt;id&gt;</c>; opaque to clients, who pass back what they were given.
/// </summary>
public readonly record struct EventCursor(long TransactionId, long EventId)
{
    public static EventCursor Start { get; } = new(0, 0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TransactionId}-{EventId}");

    public static bool TryParse(string? text, out EventCursor cursor)
    {
        cursor = Start;
        var parts = text?.Split('-');
        if (parts is not { Length: 2 } ||
            !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var xid) ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new EventCursor(xid, id);
        return true;
    }
}
