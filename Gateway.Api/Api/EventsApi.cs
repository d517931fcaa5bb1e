using Gateway.Api.Api.Auth;
using Gateway.Core.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Api.Api;

/// <summary>The events feed for pollers: every event in commit order, without gaps. Scope: read.</summary>
public static class EventsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/events").WithTags("Events").RequireAuthorization(ApiKeyDefaults.ReadPolicy)
            .MapGet("/", ReadAsync).WithName("ReadEvents")
            .WithSummary("Events after a cursor, oldest first. Pass the returned nextCursor as 'after' to continue; " +
                         "an empty page means nothing newer is committed yet.");
        return routes;
    }

    private static async Task<Results<Ok<EventPage>, ValidationProblem>> ReadAsync(
        string? after,
        int? limit,
        EventFeed feed,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var cursor = EventCursor.Start;
        if (after is not null && !EventCursor.TryParse(after, out cursor))
        {
            errors["after"] = ["Not a cursor this API issued."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var events = await feed.ReadAsync(cursor, limit ?? DefaultLimit, cancellationToken);
        var next = events.Count > 0 ? events[^1].Cursor : cursor.ToString();
        return TypedResults.Ok(new EventPage(events, next));
    }
}
