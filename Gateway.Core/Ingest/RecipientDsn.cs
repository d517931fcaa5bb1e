namespace Gateway.Core.Ingest;

/// <summary>The DSN parameters of one RCPT (RFC 3461 §4.1, §4.2), kept as the client sent them.</summary>
public sealed record RecipientDsn(string? Notify, string? OriginalRecipient);
