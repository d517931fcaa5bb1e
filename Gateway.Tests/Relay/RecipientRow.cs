namespace Gateway.Tests.Relay;

internal sealed record RecipientRow(
    string Address,
    string State,
    int AttemptCount,
    int? ReplyCode,
    string? EnhancedCode,
    string? ReplyText,
    bool DelayNotified);
