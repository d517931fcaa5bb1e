using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Core.Users;

/// <summary>
/// Per-minute and per-day sending limits, counted over committed messages by their submitter (an SMTP user's name,
/// or <c>apikey:&lt;name&gt;</c>), so every node sees the same count. Messages still in flight in other sessions or
/// requests are not counted yet: concurrent senders can overshoot a limit by the number they have in flight.
/// </summary>
internal static class SendingRate
{
    public static async Task<SendingRateVerdict> CheckAsync(
        GatewayDbContext db,
        string submitter,
        int? messagesPerMinute,
        int? messagesPerDay,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        foreach (var (limit, window, label) in new[]
                 {
                     (messagesPerMinute, TimeSpan.FromMinutes(1), "messages per minute"),
                     (messagesPerDay, TimeSpan.FromDays(1), "messages per day"),
                 })
        {
            if (limit is not { } max)
            {
                continue;
            }

            // The max-th most recent message in the window: while it is inside the window the limit is reached,
            // and the moment it leaves the window is when the next message may come.
            var since = now - window;
            var oldestCounted = await db.Messages.AsNoTracking()
                .Where(m => m.AuthenticatedUser == submitter && m.ReceivedAt > since)
                .OrderByDescending(m => m.ReceivedAt)
                .Skip(max - 1)
                .Select(m => (DateTimeOffset?)m.ReceivedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (oldestCounted is { } at)
            {
                return new SendingRateVerdict(false, $"{max} {label}", at + window);
            }
        }

        return SendingRateVerdict.Allow;
    }
}
