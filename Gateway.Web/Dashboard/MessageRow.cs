using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>One line of the message grid.</summary>
public sealed record MessageRow(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string ReversePath,
    string? Subject,
    int RecipientCount,
    string? FirstRecipient,
    IReadOnlyList<RecipientState> States);
