using Gateway.Api.Api.Auth;
using Gateway.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Api.Api;

/// <summary>
/// SMTP users through <see cref="SmtpUserService"/>: create, update limits and allowed senders, reset the
/// password, disable and enable. Scope: manage.
/// </summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/users").WithTags("SMTP users")
            .RequireAuthorization(ApiKeyDefaults.ManagePolicy);
        api.MapGet("/", ListAsync).WithName("ListSmtpUsers").WithSummary("Lists SMTP users, never passwords.");
        api.MapGet("/{name}", GetAsync).WithName("GetSmtpUser").WithSummary("One SMTP user.");
        api.MapPost("/", CreateAsync).WithName("CreateSmtpUser").WithSummary("Creates an SMTP user.");
        api.MapPut("/{name}/limits", LimitsAsync).WithName("SetSmtpUserLimits")
            .WithSummary("Replaces the user's sending limits.");
        api.MapPut("/{name}/senders", SendersAsync).WithName("SetSmtpUserSenders")
            .WithSummary("Replaces the senders the user may use in MAIL FROM.");
        api.MapPost("/{name}/password", PasswordAsync).WithName("ResetSmtpUserPassword")
            .WithSummary("Sets a new password.");
        api.MapPost("/{name}/disable", (string name, SmtpUserService users, CancellationToken token) =>
                EnabledAsync(name, false, users, token))
            .WithName("DisableSmtpUser").WithSummary("Disables the user; its logins fail from now on.");
        api.MapPost("/{name}/enable", (string name, SmtpUserService users, CancellationToken token) =>
                EnabledAsync(name, true, users, token))
            .WithName("EnableSmtpUser").WithSummary("Enables the user again.");
        return routes;
    }

    private static async Task<Ok<List<SmtpUserDto>>> ListAsync(SmtpUserService users, CancellationToken token) =>
        TypedResults.Ok((await users.ListAsync(token)).Select(SmtpUserDto.From).ToList());

    private static async Task<Results<Ok<SmtpUserDto>, ProblemHttpResult>> GetAsync(
        string name,
        SmtpUserService users,
        CancellationToken token) =>
        await users.FindAsync(name, token) is { } user ? TypedResults.Ok(SmtpUserDto.From(user)) : NotFound(name);

    private static async Task<Results<Created<SmtpUserDto>, ValidationProblem>> CreateAsync(
        CreateSmtpUserRequest request,
        SmtpUserService users,
        CancellationToken token)
    {
        try
        {
            var limits = new SmtpUserLimits(request.MessagesPerMinute, request.MessagesPerDay,
                request.MaxRecipientsPerMessage);
            var user = await users.CreateAsync(request.Name ?? string.Empty, request.Password ?? string.Empty,
                request.AllowedSenders ?? [], limits, token);
            return TypedResults.Created($"/api/v1/users/{user.Name}", SmtpUserDto.From(user));
        }
        catch (SmtpUserException ex)
        {
            return Invalid(ex);
        }
    }

    private static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> LimitsAsync(
        string name,
        SmtpUserLimitsRequest request,
        SmtpUserService users,
        CancellationToken token) =>
        ChangeAsync(name, () => users.UpdateLimitsAsync(name, new SmtpUserLimits(request.MessagesPerMinute,
            request.MessagesPerDay, request.MaxRecipientsPerMessage), token));

    private static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SendersAsync(
        string name,
        SmtpUserSendersRequest request,
        SmtpUserService users,
        CancellationToken token) =>
        ChangeAsync(name, () => users.SetAllowedSendersAsync(name, request.AllowedSenders ?? [], token));

    private static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> PasswordAsync(
        string name,
        SmtpUserPasswordRequest request,
        SmtpUserService users,
        CancellationToken token) =>
        ChangeAsync(name, () => users.SetPasswordAsync(name, request.Password ?? string.Empty, token));

    private static Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> EnabledAsync(
        string name,
        bool enabled,
        SmtpUserService users,
        CancellationToken token) =>
        ChangeAsync(name, () => users.SetEnabledAsync(name, enabled, token));

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        string name,
        Func<Task<bool>> change)
    {
        try
        {
            return await change() ? TypedResults.NoContent() : NotFound(name);
        }
        catch (SmtpUserException ex)
        {
            return Invalid(ex);
        }
    }

    private static ValidationProblem Invalid(SmtpUserException ex) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [ex.Message] });

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such SMTP user",
            detail: $"No SMTP user is named '{name}'.");
}
