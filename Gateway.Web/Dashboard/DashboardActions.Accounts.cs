using Gateway.Core.ApiKeys;
using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Dashboard;

public sealed partial class DashboardActions
{
    public Task<ActionOutcome> CreateSmtpUserAsync(string name, string password, IReadOnlyList<string> senders,
        SmtpUserLimits limits, CancellationToken cancellationToken) =>
        RunAsync("create smtp user", name, async (services, ct) =>
        {
            var user = await services.GetRequiredService<SmtpUserService>()
                .CreateAsync(name, password, senders, limits, ct);
            return ActionOutcome.Done($"Created SMTP user {user.Name}.");
        }, cancellationToken);

    public Task<ActionOutcome> UpdateSmtpUserAsync(string name, IReadOnlyList<string> senders, SmtpUserLimits limits,
        CancellationToken cancellationToken) =>
        RunAsync("edit smtp user", name, async (services, ct) =>
        {
            var users = services.GetRequiredService<SmtpUserService>();
            var found = await users.UpdateLimitsAsync(name, limits, ct) &&
                        await users.SetAllowedSendersAsync(name, senders, ct);
            return found ? ActionOutcome.Done($"Saved SMTP user {name}.") : NotFound(name);
        }, cancellationToken);

    public Task<ActionOutcome> ResetSmtpPasswordAsync(string name, string password,
        CancellationToken cancellationToken) =>
        RunAsync("reset smtp password", name, async (services, ct) =>
            await services.GetRequiredService<SmtpUserService>().SetPasswordAsync(name, password, ct)
                ? ActionOutcome.Done($"Set a new password for {name}.")
                : NotFound(name), cancellationToken);

    public Task<ActionOutcome> SetSmtpUserEnabledAsync(string name, bool enabled,
        CancellationToken cancellationToken) =>
        RunAsync(enabled ? "enable smtp user" : "disable smtp user", name, async (services, ct) =>
            await services.GetRequiredService<SmtpUserService>().SetEnabledAsync(name, enabled, ct)
                ? ActionOutcome.Done($"{(enabled ? "Enabled" : "Disabled")} {name}.")
                : NotFound(name), cancellationToken);

    /// <summary>Creates a key; the outcome carries its secret, which is shown once and stored only hashed.</summary>
    public Task<ActionOutcome> CreateApiKeyAsync(string name, ApiScope scopes, IReadOnlyList<string> senders,
        CancellationToken cancellationToken) =>
        RunAsync("create api key", name, async (services, ct) =>
        {
            if (string.IsNullOrWhiteSpace(name) || scopes == ApiScope.None)
            {
                return ActionOutcome.Refused("A key needs a name and at least one scope.");
            }

            var created = await services.GetRequiredService<ApiKeyService>()
                .CreateAsync(name.Trim(), scopes, senders, await OperatorNameAsync(), ct);
            return ActionOutcome.Done($"Created API key {created.Key.Name} ({created.Key.Prefix}).", created.Token);
        }, cancellationToken);

    public Task<ActionOutcome> RevokeApiKeyAsync(Guid id, string name, CancellationToken cancellationToken) =>
        RunAsync("revoke api key", name, async (services, ct) =>
            await services.GetRequiredService<ApiKeyService>().RevokeAsync(id, ct)
                ? ActionOutcome.Done($"Revoked API key {name}.")
                : NotFound(name), cancellationToken);

    public Task<ActionOutcome> CreateOperatorAsync(string name, string password, OperatorRole role,
        CancellationToken cancellationToken) =>
        RunAsync("create operator", name, async (services, ct) =>
        {
            var account = await services.GetRequiredService<OperatorService>().CreateAsync(name, password, role, ct);
            return ActionOutcome.Done($"Created {DashboardRoles.Of(account.Role)} {account.Name}.");
        }, cancellationToken);

    public Task<ActionOutcome> SetOperatorEnabledAsync(string name, bool enabled,
        CancellationToken cancellationToken) =>
        RunAsync(enabled ? "enable operator" : "disable operator", name, async (services, ct) =>
        {
            if (!enabled && name == await OperatorNameAsync())
            {
                return ActionOutcome.Refused("You cannot disable your own account.");
            }

            return await services.GetRequiredService<OperatorService>().SetEnabledAsync(name, enabled, ct)
                ? ActionOutcome.Done($"{(enabled ? "Enabled" : "Disabled")} operator {name}.")
                : NotFound(name);
        }, cancellationToken);

    public Task<ActionOutcome> ResetOperatorPasswordAsync(string name, string password,
        CancellationToken cancellationToken) =>
        RunAsync("reset operator password", name, async (services, ct) =>
            await services.GetRequiredService<OperatorService>().SetPasswordAsync(name, password, ct)
                ? ActionOutcome.Done($"Set a new password for operator {name}.")
                : NotFound(name), cancellationToken);

    private static ActionOutcome NotFound(string name) => ActionOutcome.Refused($"There is no '{name}'.");
}
