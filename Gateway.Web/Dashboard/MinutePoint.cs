namespace Gateway.Web.Dashboard;

/// <summary>Messages accepted, recipients delivered and recipients failed in one minute.</summary>
public sealed record MinutePoint(DateTimeOffset Minute, long Accepted, long Delivered, long Failed);
