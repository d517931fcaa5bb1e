using System.Security.Claims;
using Gateway.Api.Api.Auth;
using Gateway.Core.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Api.Api;

/// <summary>API keys: create (the secret is shown once), list, set sending limits, revoke. Scope: manage.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/keys").WithTags("API keys")
            .RequireAuthorization(ApiKeyDefaults.ManagePolicy);
        api.MapGet("/", ListAsync).WithName("ListApiKeys")
            .WithSummary("Lists keys with their prefixes, never secrets.");
        api.MapPost("/", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Creates a key; the reply carries its secret, which is never shown again.");
        api.MapPut("/{id:guid}/limits", LimitsAsync).WithName("SetApiKeyLimits")
            .WithSummary("Replaces the key's sending limits (messages per minute and per day; null for none).");
        api.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revokes a key at once.");
        return routes;
    }

    private static async Task<Ok<List<ApiKeyDto>>> ListAsync(ApiKeyService keys, CancellationToken cancellationToken)
    {
        var list = await keys.ListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(ApiKeyDto.From).ToList());
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem>> CreateAsync(
        CreateApiKeyRequest request,
        ApiKeyService keys,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }

        if (!ApiScopes.TryParse(request.Scopes ?? [], out var scopes))
        {
            errors["scopes"] = ["Give one or more of read, send, manage."];
        }

        var senders = request.AllowedSenders ?? [];
        if (senders.Any(s => !SenderRules.IsValidRule(s)))
        {
            errors["allowedSenders"] = ["Each entry is an address (user@example.com) or a domain (@example.com)."];
        }

        AddLimitErrors(request.MessagesPerMinute, request.MessagesPerDay, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await keys.CreateAsync(request.Name!.Trim(), scopes, senders, user.OperatorName(),
            new ApiKeyLimits(request.MessagesPerMinute, request.MessagesPerDay), cancellationToken);

        ApiLog.KeyCreated(loggers.CreateLogger(typeof(ApiKeysApi)), created.Key.Prefix, created.Key.Name,
            string.Join(",", ApiScopes.Names(scopes)), user.OperatorName());
        return TypedResults.Created($"/api/v1/keys/{created.Key.Id}",
            new CreatedApiKeyDto(ApiKeyDto.From(created.Key), created.Token));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> LimitsAsync(
        Guid id,
        ApiKeyLimitsRequest request,
        ApiKeyService keys,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AddLimitErrors(request.MessagesPerMinute, request.MessagesPerDay, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await keys.SetLimitsAsync(id, request.MessagesPerMinute, request.MessagesPerDay, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API key");
    }

    private static void AddLimitErrors(int? perMinute, int? perDay, Dictionary<string, string[]> errors)
    {
        if (perMinute is < 1)
        {
            errors["messagesPerMinute"] = ["A positive number, or null for no limit."];
        }

        if (perDay is < 1)
        {
            errors["messagesPerDay"] = ["A positive number, or null for no limit."];
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id,
        ApiKeyService keys,
        ClaimsPrincipal user,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API key");
        }

        ApiLog.KeyRevoked(loggers.CreateLogger(typeof(ApiKeysApi)), id, user.OperatorName());
        return TypedResults.NoContent();
    }
}
