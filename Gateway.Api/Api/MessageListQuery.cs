using Gateway.Core.Domain;
using Gateway.Core.Queries;

namespace Gateway.Api.Api;

/// <summary>The query string of <c>GET /api/v1/messages</c>.</summary>
public sealed class MessageListQuery
{
    private const int MaxLimit = 500;

    /// <summary>Messages with at least one recipient in this state (Queued, Deferred, Delivered, ...).</summary>
    public string? State { get; init; }

    /// <summary>The reverse-path (MAIL FROM), exactly.</summary>
    public string? Sender { get; init; }

    /// <summary>A recipient address, exactly.</summary>
    public string? Recipient { get; init; }

    /// <summary>Text the Subject contains, ignoring case.</summary>
    public string? Subject { get; init; }

    /// <summary>The Message-ID header, with or without angle brackets.</summary>
    public string? MessageId { get; init; }

    /// <summary>Received at or after this instant (ISO 8601).</summary>
    public DateTimeOffset? ReceivedFrom { get; init; }

    /// <summary>Received before this instant (ISO 8601).</summary>
    public DateTimeOffset? ReceivedBefore { get; init; }

    /// <summary>The SMTP user, or <c>apikey:&lt;name&gt;</c>, that submitted the message.</summary>
    public string? AuthenticatedUser { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500; default 50.</summary>
    public int? Limit { get; init; }

    public Dictionary<string, string[]> Validate(out MessageFilter filter, out MessageCursor? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        RecipientState? state = null;
        if (State is not null)
        {
            if (Enum.TryParse<RecipientState>(State, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                state = parsed;
            }
            else
            {
                errors["state"] = [$"Unknown state; use one of {string.Join(", ", Enum.GetNames<RecipientState>())}."];
            }
        }

        cursor = null;
        if (Cursor is not null)
        {
            if (MessageCursor.TryParse(Cursor, out var parsed))
            {
                cursor = parsed;
            }
            else
            {
                errors["cursor"] = ["Not a cursor this API issued."];
            }
        }

        if (Limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }

        filter = new MessageFilter
        {
            State = state,
            Sender = Sender,
            Recipient = Recipient,
            SubjectContains = Subject,
            MessageId = MessageId,
            ReceivedFrom = ReceivedFrom,
            ReceivedBefore = ReceivedBefore,
            AuthenticatedUser = AuthenticatedUser,
        };
        return errors;
    }
}
