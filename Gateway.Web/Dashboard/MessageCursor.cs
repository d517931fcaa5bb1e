namespace Gateway.Web.Dashboard;

/// <summary>Where a page of the message grid ends: the last row's time and id, newest first (keyset paging).</summary>
public sealed record MessageCursor(DateTimeOffset ReceivedAt, Guid Id);
