using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Api;

/// <summary>"What happened to my message?": listing with filters and keyset paging, and one message in full.</summary>
public static class MessagesApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/messages").WithTags("Messages");
        api.MapGet("/", ListAsync).WithName("ListMessages")
            .WithSummary("Lists messages newest first, filtered, one keyset page at a time.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetMessage")
            .WithSummary("One message: envelope, headline headers, trace, recipients and their attempts.");
        return routes;
    }

    private static async Task<Results<Ok<MessagePage>, ValidationProblem>> ListAsync(
        GatewayDbContext db,
        string? state,
        string? sender,
        string? recipient,
        string? messageId,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        RecipientState? stateFilter = null;
        if (state is not null)
        {
            if (Enum.TryParse<RecipientState>(state, ignoreCase: true, out var parsed))
            {
                stateFilter = parsed;
            }
            else
            {
                errors["state"] = [$"Unknown state; use one of {string.Join(", ", Enum.GetNames<RecipientState>())}."];
            }
        }

        MessageCursor after = default;
        if (cursor is not null && !MessageCursor.TryParse(cursor, out after))
        {
            errors["cursor"] = ["Not a cursor this API issued."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Messages.AsNoTracking();
        if (stateFilter is { } s)
        {
            query = query.Where(m => m.Recipients.Any(r => r.State == s));
        }

        if (!string.IsNullOrEmpty(sender))
        {
            query = query.Where(m => m.ReversePath == sender);
        }

        if (!string.IsNullOrEmpty(recipient))
        {
            query = query.Where(m => m.Recipients.Any(r => r.Address == recipient));
        }

        if (!string.IsNullOrEmpty(messageId))
        {
            query = query.Where(m => m.MessageIdHeader == messageId);
        }

        if (cursor is not null)
        {
            query = query.Where(m => m.ReceivedAt < after.ReceivedAt ||
                                     (m.ReceivedAt == after.ReceivedAt && m.Id.CompareTo(after.Id) < 0));
        }

        var take = limit ?? DefaultLimit;
        var rows = await query
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Take(take + 1)
            .Select(m => new MessageSummary(m.Id, m.ReceivedAt, m.ReversePath, m.Subject, m.MessageIdHeader, m.Size,
                m.Recipients.OrderBy(r => r.Id).Select(r => new RecipientSummary(r.Address, r.State)).ToList()))
            .ToListAsync(cancellationToken);

        var items = rows.Take(take).ToList();
        var next = rows.Count > take ? new MessageCursor(items[^1].ReceivedAt, items[^1].Id).ToString() : null;
        return TypedResults.Ok(new MessagePage(items, next));
    }

    private static async Task<Results<Ok<MessageDetail>, ProblemHttpResult>> GetAsync(
        Guid id,
        GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking().AsSplitQuery()
            .Include(m => m.Recipients).ThenInclude(r => r.Attempts)
            .Include(m => m.TraceHeaders)
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such message",
                detail: $"No message has the queue id {id:N}.");
        }

        var recipients = message.Recipients.OrderBy(r => r.Id).Select(r => new RecipientDetail(
            r.Address, r.State, r.AttemptCount,
            r.State is RecipientState.Queued or RecipientState.Deferred ? r.NextAttemptAt : null,
            r.DeliveredAt, r.LastReplyCode, r.LastEnhancedCode, r.LastReplyText,
            r.Attempts.OrderBy(a => a.Id).Select(a => new AttemptDetail(a.StartedAt, a.DurationMs, a.NextHop,
                a.Outcome, a.ReplyCode, a.EnhancedCode, a.ReplyText)).ToList())).ToList();

        return TypedResults.Ok(new MessageDetail(
            message.Id, message.ReceivedAt, message.ClientAddress, message.HeloName, message.AuthenticatedUser,
            message.ReversePath, message.Size, message.BodyType,
            new HeadlineHeadersDto(message.MessageIdHeader, message.Subject, message.FromHeader, message.ToHeader,
                message.DateHeader),
            message.TraceHeaders.OrderBy(t => t.Position).Select(t => t.Value).ToList(),
            recipients,
            message.BodyPurgedAt));
    }
}
