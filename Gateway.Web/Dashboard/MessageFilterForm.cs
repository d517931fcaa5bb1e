using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>The grid's filter form as bound to its inputs; times are typed in UTC.</summary>
public sealed class MessageFilterForm
{
    public string? Search { get; set; }

    public RecipientState? State { get; set; }

    public string? Sender { get; set; }

    public string? Recipient { get; set; }

    public string? Subject { get; set; }

    public DateTime? From { get; set; }

    public DateTime? Until { get; set; }

    public MessageQuery ToQuery() => new()
    {
        Search = Search,
        State = State,
        Sender = Sender,
        Recipient = Recipient,
        Subject = Subject,
        ReceivedFrom = From is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)) : null,
        ReceivedBefore = Until is { } until ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc)) : null,
    };
}
