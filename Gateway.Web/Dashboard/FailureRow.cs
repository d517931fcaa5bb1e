using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>A recipient that failed or was deferred, with the reply that said so.</summary>
public sealed record FailureRow(
    Guid MessageId,
    string Address,
    RecipientState State,
    string? Reply,
    DateTimeOffset At,
    string? Subject);
