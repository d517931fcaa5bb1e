using Gateway.Core.Domain;
using Gateway.Core.Queries;

namespace Gateway.Web.Dashboard;

/// <summary>A message as the detail page shows it; <see cref="Parts"/> is null when MimeKit could not parse it.</summary>
public sealed record MessageView(
    Message Message,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<TraceHop> Trace,
    byte[] Raw,
    MessageParts? Parts);
