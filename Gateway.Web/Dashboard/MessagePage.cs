namespace Gateway.Web.Dashboard;

/// <summary>A page of the grid and the cursor of the next, older page (null on the last page).</summary>
public sealed record MessagePage(IReadOnlyList<MessageRow> Rows, MessageCursor? Next);
