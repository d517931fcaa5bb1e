using Gateway.Api.Api.Auth;
using Gateway.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Api.Api;

/// <summary>Webhook subscriptions and their delivery logs. Scope: manage.</summary>
public static class WebhooksApi
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks")
            .RequireAuthorization(ApiKeyDefaults.ManagePolicy);
        api.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("Lists subscriptions.");
        api.MapPost("/", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Subscribes a URL to events from now on; the reply carries the signing secret once.");
        api.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook")
            .WithSummary("Deletes a subscription and its delivery log.");
        api.MapGet("/{id:guid}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's delivery log, newest first; pass the last id as 'before' to page.");
        return routes;
    }

    private static async Task<Ok<List<WebhookDto>>> ListAsync(WebhookService webhooks, CancellationToken token) =>
        TypedResults.Ok((await webhooks.ListAsync(token)).Select(WebhookDto.From).ToList());

    private static async Task<Results<Created<CreatedWebhookDto>, ValidationProblem>> CreateAsync(
        CreateWebhookRequest request,
        WebhookService webhooks,
        CancellationToken cancellationToken)
    {
        var errors = WebhookService.Validate(request.Url, request.EventKinds);
        if (request.Secret is { Length: < 16 or > 200 })
        {
            errors["secret"] = ["A secret has 16 to 200 characters; leave it out to have one generated."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await webhooks.CreateAsync(request.Url!, request.EventKinds ?? [], request.Secret,
            cancellationToken);
        var subscription = created.Subscription;
        return TypedResults.Created($"/api/v1/webhooks/{subscription.Id}",
            new CreatedWebhookDto(WebhookDto.From(subscription), subscription.Secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id,
        WebhookService webhooks,
        CancellationToken cancellationToken) =>
        await webhooks.DeleteAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook");

    private static async Task<Results<Ok<List<WebhookDeliveryDto>>, ProblemHttpResult, ValidationProblem>>
        DeliveriesAsync(
            Guid id,
            long? before,
            int? limit,
            WebhookService webhooks,
            CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"Must be between 1 and {MaxLimit}."],
            });
        }

        if (await webhooks.FindAsync(id, cancellationToken) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook");
        }

        var deliveries = await webhooks.DeliveriesAsync(id, before, limit ?? 100, cancellationToken);
        return TypedResults.Ok(deliveries.Select(WebhookDeliveryDto.From).ToList());
    }
}
