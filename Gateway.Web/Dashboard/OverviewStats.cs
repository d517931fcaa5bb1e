using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>Everything the overview page shows, read in one go.</summary>
public sealed record OverviewStats(
    IReadOnlyDictionary<RecipientState, long> States,
    long Messages,
    TimeSpan? OldestQueuedAge,
    IReadOnlyList<MinutePoint> PerMinute,
    IReadOnlyList<DestinationFailures> TopFailing,
    IReadOnlyList<FailureRow> RecentFailures);
