namespace Gateway.Core.Queries;

/// <summary>
/// One hop of a message's path, read from a <c>Received:</c> header (RFC 5321 §4.4). Fields a header leaves out
/// are null; <see cref="Raw"/> keeps the header as written.
/// </summary>
public sealed record TraceHop(
    string? From,
    string? By,
    string? Via,
    string? With,
    string? Id,
    string? For,
    DateTimeOffset? Date,
    string Raw);
