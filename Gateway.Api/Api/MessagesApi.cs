using Gateway.Api.Api.Auth;
using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Gateway.Core.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Api;

/// <summary>
/// "What happened to my message?": listing with filters and keyset paging, one message in full, its raw bytes
/// and its events. Scope: read.
/// </summary>
public static class MessagesApi
{
    private const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/messages").WithTags("Messages")
            .RequireAuthorization(ApiKeyDefaults.ReadPolicy);
        api.MapGet("/", ListAsync).WithName("ListMessages")
            .WithSummary("Lists messages newest first, filtered, one keyset page at a time.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetMessage")
            .WithSummary("One message: envelope, headline headers, trace hops, recipients and their attempts.");
        api.MapGet("/{id:guid}/raw", GetRawAsync).WithName("GetRawMessage")
            .WithSummary("The message exactly as stored and relayed, as message/rfc822.")
            .Produces(StatusCodes.Status200OK, contentType: "message/rfc822");
        api.MapGet("/{id:guid}/events", GetEventsAsync).WithName("GetMessageEvents")
            .WithSummary("Everything that happened to one message, oldest first.");
        return routes;
    }

    private static async Task<Results<Ok<MessagePage>, ValidationProblem>> ListAsync(
        [AsParameters] MessageListQuery query,
        GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = query.Validate(out var filter, out var cursor);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var messages = filter.Apply(db.Messages.AsNoTracking());

        // Keyset: strictly after the last row seen in (received_at, id) descending order. Rows committed while a
        // client pages never shift the pages it has not read yet, so nothing is skipped or shown twice.
        if (cursor is { } after)
        {
            messages = messages.Where(m => m.ReceivedAt < after.ReceivedAt ||
                                           (m.ReceivedAt == after.ReceivedAt && m.Id.CompareTo(after.Id) < 0));
        }

        var take = query.Limit ?? DefaultLimit;
        var rows = await messages
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Take(take + 1)
            .Select(m => new MessageSummary(m.Id, m.ReceivedAt, m.ReversePath, m.Subject, m.MessageIdHeader, m.Size,
                m.AuthenticatedUser,
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
            return NotFound(id);
        }

        var recipients = message.Recipients.OrderBy(r => r.Id).Select(r => new RecipientDetail(
            r.Address, r.State, r.AttemptCount,
            r.State is RecipientState.Queued or RecipientState.Deferred ? r.NextAttemptAt : null,
            r.DeliveredAt, r.LastReplyCode, r.LastEnhancedCode, r.LastReplyText,
            r.Attempts.OrderBy(a => a.Id).Select(a => new AttemptDetail(a.StartedAt, a.DurationMs, a.NextHop,
                a.Outcome, a.ReplyCode, a.EnhancedCode, a.ReplyText)).ToList())).ToList();

        return TypedResults.Ok(new MessageDetail(
            message.Id, message.ReceivedAt, message.ClientAddress, message.HeloName, message.AuthenticatedUser,
            message.TlsProtocol, message.ReversePath, message.Size, message.BodyType,
            new HeadlineHeadersDto(message.MessageIdHeader, message.Subject, message.FromHeader, message.ToHeader,
                message.DateHeader),
            message.TraceHeaders.OrderBy(t => t.Position).Select(t => ReceivedHeaderParser.Parse(t.Value)).ToList(),
            recipients));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetRawAsync(
        Guid id,
        GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var content = await db.MessageContents.AsNoTracking()
            .Where(c => c.MessageId == id).Select(c => c.Data).FirstOrDefaultAsync(cancellationToken);
        return content is null
            ? NotFound(id)
            : TypedResults.File(content, "message/rfc822", $"{id:N}.eml");
    }

    private static async Task<Results<Ok<List<MessageEventDto>>, ProblemHttpResult>> GetEventsAsync(
        Guid id,
        GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        if (!await db.Messages.AnyAsync(m => m.Id == id, cancellationToken))
        {
            return NotFound(id);
        }

        var events = await db.Events.AsNoTracking().Where(e => e.MessageId == id)
            .OrderBy(e => e.Id)
            .Select(e => new MessageEventDto(e.Id, e.Kind, e.At,
                db.Recipients.Where(r => r.Id == e.RecipientId).Select(r => r.Address).FirstOrDefault(),
                e.Actor, e.Details))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such message",
            detail: $"No message has the queue id {id:N}.");
}
