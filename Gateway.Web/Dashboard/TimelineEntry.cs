namespace Gateway.Web.Dashboard;

/// <summary>One line of a message's timeline: an event, or a delivery attempt with the reply it got.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, string? Recipient, string? Detail, string Tone);
