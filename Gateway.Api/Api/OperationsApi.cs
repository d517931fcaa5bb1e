using System.Globalization;
using System.Security.Claims;
using Gateway.Api.Api.Auth;
using Gateway.Core.Operations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Api.Api;

/// <summary>
/// Retry now, hold, release and cancel: for one message, one recipient, or every match of a filter. Each answer
/// counts what changed. Scope: manage.
/// </summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Operations").RequireAuthorization(ApiKeyDefaults.ManagePolicy);
        api.MapPost("/messages/{id:guid}/{action}", ForMessageAsync).WithName("ActOnMessage")
            .WithSummary("Applies retry, hold, release or cancel to every recipient of one message.");
        api.MapPost("/messages/{id:guid}/recipients/{address}/{action}", ForRecipientAsync).WithName("ActOnRecipient")
            .WithSummary("Applies retry, hold, release or cancel to one recipient of one message.");
        api.MapPost("/operations/{action}", ForFilterAsync).WithName("ActOnFilter")
            .WithSummary("Applies retry, hold, release or cancel to every recipient the filter selects.");
        return routes;
    }

    private static Task<Results<Ok<ActionResultDto>, ProblemHttpResult, ValidationProblem>> ForMessageAsync(
        Guid id,
        string action,
        OperatorActions actions,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken) =>
        ApplyAsync(action, ActionTarget.ForMessage(id), actions, user, loggers, cancellationToken);

    private static Task<Results<Ok<ActionResultDto>, ProblemHttpResult, ValidationProblem>> ForRecipientAsync(
        Guid id,
        string address,
        string action,
        OperatorActions actions,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken) =>
        ApplyAsync(action, ActionTarget.ForRecipient(id, address), actions, user, loggers, cancellationToken);

    private static async Task<Results<Ok<ActionResultDto>, ProblemHttpResult, ValidationProblem>> ForFilterAsync(
        string action,
        ActionRequest request,
        OperatorActions actions,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var query = new MessageListQuery
        {
            State = request.State, Sender = request.Sender, Recipient = request.Recipient,
            Subject = request.Subject, MessageId = request.MessageId, ReceivedFrom = request.ReceivedFrom,
            ReceivedBefore = request.ReceivedBefore, AuthenticatedUser = request.AuthenticatedUser,
        };
        var errors = query.Validate(out var filter, out _);
        if (filter.IsEmpty)
        {
            errors["filter"] = ["Give at least one filter; a bulk action never applies to all mail implicitly."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : await ApplyAsync(action, ActionTarget.Matching(filter), actions, user, loggers, cancellationToken);
    }

    private static async Task<Results<Ok<ActionResultDto>, ProblemHttpResult, ValidationProblem>> ApplyAsync(
        string action,
        ActionTarget target,
        OperatorActions actions,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!TryParseAction(action, out var parsed))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action",
                detail: "Actions are retry, hold, release and cancel.");
        }

        var result = await actions.ApplyAsync(parsed, target, user.OperatorName(), cancellationToken);
        ApiLog.ActionApplied(loggers.CreateLogger(typeof(OperationsApi)), user.OperatorName(), parsed.ToString(),
            result.Changed, result.Matched, result.InFlight);
        if (result.Matched == 0 && target.MessageId is { } id)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to act on",
                detail: target.RecipientAddress is null
                    ? $"No message has the queue id {id:N}."
                    : $"Message {id:N} has no recipient {target.RecipientAddress}.");
        }

        return TypedResults.Ok(new ActionResultDto(parsed.ToString().ToLower(CultureInfo.InvariantCulture),
            result.Matched, result.Changed, result.InFlight));
    }

    private static bool TryParseAction(string text, out OperatorAction action)
    {
        action = text switch
        {
            "retry" => OperatorAction.RetryNow,
            "hold" => OperatorAction.Hold,
            "release" => OperatorAction.Release,
            "cancel" => OperatorAction.Cancel,
            _ => (OperatorAction)(-1),
        };
        return Enum.IsDefined(action);
    }
}
