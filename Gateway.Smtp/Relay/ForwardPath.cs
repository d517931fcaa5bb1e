namespace Gateway.Smtp.Relay;

/// <summary>
/// One RCPT of a relayed transaction: the mailbox, and the client's NOTIFY and ORCPT parameters (RFC 3461 §4.1,
/// §4.2) as stored, null when not given.
/// </summary>
public sealed record ForwardPath(string Address, string? Notify = null, string? OriginalRecipient = null);
