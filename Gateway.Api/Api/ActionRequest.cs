namespace Gateway.Api.Api;

/// <summary>
/// A bulk operator action: the same filters as the message listing. At least one filter is required, so a
/// request cannot touch every message by accident.
/// </summary>
public sealed record ActionRequest(
    string? State,
    string? Sender,
    string? Recipient,
    string? Subject,
    string? MessageId,
    DateTimeOffset? ReceivedFrom,
    DateTimeOffset? ReceivedBefore,
    string? AuthenticatedUser);
