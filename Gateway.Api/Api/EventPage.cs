using Gateway.Core.Events;

namespace Gateway.Api.Api;

/// <summary>A page of the events feed; <c>NextCursor</c> is where to continue (unchanged when the page is empty).</summary>
public sealed record EventPage(IReadOnlyList<FeedEvent> Items, string NextCursor);
