using Gateway.Core.Audit;
using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Web.Dashboard;

/// <summary>
/// The one way a page changes anything. Every action runs on the server, checks that the signed-in operator is an
/// enabled admin in the database at that moment (not what the cookie said at sign-in, and not whether a button was
/// shown), does the work in its own scope, and writes the audit log. Viewers get a refusal in words.
/// </summary>
public sealed partial class DashboardActions(
    IServiceScopeFactory scopes,
    AuthenticationStateProvider authentication,
    ILogger<DashboardActions> logger)
{
    public const string ViewerRefusal = "Your account is a viewer: only admins can change mail, users or keys.";

    public const string SessionEnded =
        "Your session has ended (account disabled or password changed): sign in again.";

    /// <summary>Runs <paramref name="work"/> as an admin; its result is the summary shown and audited.</summary>
    public async Task<ActionOutcome> RunAsync(
        string action,
        string? target,
        Func<IServiceProvider, CancellationToken, Task<ActionOutcome>> work,
        CancellationToken cancellationToken)
    {
        var (name, stamp) = SessionRevalidator.SessionOf((await authentication.GetAuthenticationStateAsync()).User);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var account = name is null ? null : await db.Operators.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Name == name, cancellationToken);

        // The session this page was opened with must still stand: an open tab outlives a password reset otherwise.
        if (account is null || !account.Enabled || stamp != OperatorService.SessionStamp(account))
        {
            DashboardLog.ActionRefused(logger, action, target, name);
            return ActionOutcome.Refused(SessionEnded);
        }

        if (account.Role != OperatorRole.Admin)
        {
            DashboardLog.ActionRefused(logger, action, target, name);
            return ActionOutcome.Refused(ViewerRefusal);
        }

        ActionOutcome outcome;
        try
        {
            outcome = await work(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is SmtpUserException or OperatorException or ArgumentException)
        {
            return ActionOutcome.Refused(ex.Message);
        }

        if (outcome.Succeeded)
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            await audit.RecordAsync(name!, action, target, outcome.Message, cancellationToken);
            DashboardLog.ActionTaken(logger, name!, action, target, outcome.Message);
        }

        return outcome;
    }
}
