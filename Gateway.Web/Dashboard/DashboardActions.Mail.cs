using Gateway.Core.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Web.Dashboard;

public sealed partial class DashboardActions
{
    /// <summary>Retry, hold, release or cancel whole messages, or one recipient of one message.</summary>
    public Task<ActionOutcome> ApplyAsync(
        OperatorAction action,
        IReadOnlyCollection<Guid> messageIds,
        string? recipient,
        CancellationToken cancellationToken)
    {
        var target = messageIds.Count == 1
            ? $"message {messageIds.First():N}" + (recipient is null ? string.Empty : $" recipient {recipient}")
            : $"{messageIds.Count} messages";
        return RunAsync(Verb(action), target, async (services, ct) =>
        {
            var operations = services.GetRequiredService<OperatorActions>();
            var name = await OperatorNameAsync();
            int changed = 0, inFlight = 0, matched = 0;
            foreach (var id in messageIds)
            {
                var result = await operations.ApplyAsync(action,
                    recipient is null ? ActionTarget.ForMessage(id) : ActionTarget.ForRecipient(id, recipient),
                    name, ct);
                (changed, inFlight, matched) =
                    (changed + result.Changed, inFlight + result.InFlight, matched + result.Matched);
            }

            var busy = inFlight > 0 ? $", {inFlight} being delivered right now and left alone" : string.Empty;
            return ActionOutcome.Done($"{Verb(action)}: {changed} of {matched} recipients changed{busy}.");
        }, cancellationToken);
    }

    public static string Verb(OperatorAction action) => action switch
    {
        OperatorAction.RetryNow => "retry",
        OperatorAction.Hold => "hold",
        OperatorAction.Release => "release",
        OperatorAction.Cancel => "cancel",
        _ => action.ToString(),
    };

    private async Task<string> OperatorNameAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name ?? "unknown";
}
