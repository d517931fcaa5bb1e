using Microsoft.EntityFrameworkCore;
using Gateway.Core.Domain;

namespace Gateway.Core.Queries;

/// <summary>
/// The filters of the message listing, shared by the REST API, the dashboard and bulk operator actions.
/// Text matches are exact except <see cref="SubjectContains"/>; null fields do not filter.
/// </summary>
public sealed record MessageFilter
{
    /// <summary>Messages with at least one recipient in this state (bulk actions touch only those recipients).</summary>
    public RecipientState? State { get; init; }

    /// <summary>The reverse-path (MAIL FROM), exactly; empty string for the null reverse-path.</summary>
    public string? Sender { get; init; }

    /// <summary>A forward-path (RCPT TO), exactly.</summary>
    public string? Recipient { get; init; }

    /// <summary>Text the Subject header contains, ignoring case.</summary>
    public string? SubjectContains { get; init; }

    /// <summary>The Message-ID header value, with or without angle brackets.</summary>
    public string? MessageId { get; init; }

    /// <summary>Received at or after this time.</summary>
    public DateTimeOffset? ReceivedFrom { get; init; }

    /// <summary>Received before this time.</summary>
    public DateTimeOffset? ReceivedBefore { get; init; }

    /// <summary>The SMTP user or API key that submitted the message.</summary>
    public string? AuthenticatedUser { get; init; }

    public bool IsEmpty => this == new MessageFilter();

    public IQueryable<Message> Apply(IQueryable<Message> messages)
    {
        if (State is { } state)
        {
            messages = messages.Where(m => m.Recipients.Any(r => r.State == state));
        }

        if (Sender is not null)
        {
            messages = messages.Where(m => m.ReversePath == Sender);
        }

        if (Recipient is not null)
        {
            messages = messages.Where(m => m.Recipients.Any(r => r.Address == Recipient));
        }

        if (!string.IsNullOrEmpty(SubjectContains))
        {
            var pattern = "%" + EscapeLike(SubjectContains) + "%";
            messages = messages.Where(m => m.Subject != null && EF.Functions.ILike(m.Subject, pattern, "\\"));
        }

        if (MessageId is not null)
        {
            var bare = MessageId.Trim().TrimStart('<').TrimEnd('>');
            var bracketed = "<" + bare + ">";
            messages = messages.Where(m => m.MessageIdHeader == bare || m.MessageIdHeader == bracketed);
        }

        if (ReceivedFrom is { } from)
        {
            messages = messages.Where(m => m.ReceivedAt >= from);
        }

        if (ReceivedBefore is { } before)
        {
            messages = messages.Where(m => m.ReceivedAt < before);
        }

        if (AuthenticatedUser is not null)
        {
            messages = messages.Where(m => m.AuthenticatedUser == AuthenticatedUser);
        }

        return messages;
    }

    /// <summary>The recipients a bulk action touches: those of matching messages, narrowed by state and address.</summary>
    public IQueryable<Recipient> ApplyToRecipients(IQueryable<Message> messages, IQueryable<Recipient> recipients)
    {
        var ids = Apply(messages).Select(m => m.Id);
        recipients = recipients.Where(r => ids.Contains(r.MessageId));
        if (State is { } state)
        {
            recipients = recipients.Where(r => r.State == state);
        }

        if (Recipient is not null)
        {
            recipients = recipients.Where(r => r.Address == Recipient);
        }

        return recipients;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
