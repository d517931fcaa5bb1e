using Gateway.Core.Domain;
using Gateway.Core.Queries;

namespace Gateway.Web.Dashboard;

/// <summary>
/// The grid's filters as an operator types them. Blank fields do not filter. <see cref="Search"/> looks in the
/// subject, the reverse-path, the recipients and the Message-ID at once.
/// </summary>
public sealed record MessageQuery
{
    public RecipientState? State { get; init; }

    public string? Sender { get; init; }

    public string? Recipient { get; init; }

    public string? Subject { get; init; }

    public DateTimeOffset? ReceivedFrom { get; init; }

    public DateTimeOffset? ReceivedBefore { get; init; }

    public string? Search { get; init; }

    public MessageFilter ToFilter() => new()
    {
        State = State,
        Sender = Blank(Sender),
        Recipient = Blank(Recipient),
        SubjectContains = Blank(Subject),
        ReceivedFrom = ReceivedFrom,
        ReceivedBefore = ReceivedBefore,
    };

    /// <summary>A search term with LIKE wildcards escaped and wrapped in % %, or null when there is none.</summary>
    public string? SearchPattern() => Blank(Search) is { } term
        ? "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%"
        : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
