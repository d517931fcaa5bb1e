using Gateway.Core.Domain;
using Gateway.Core.Queries;

namespace Gateway.Api.Api;

/// <summary>A message in a listing.</summary>
public sealed record MessageSummary(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string ReversePath,
    string? Subject,
    string? MessageId,
    long Size,
    string? AuthenticatedUser,
    IReadOnlyList<RecipientSummary> Recipients);

/// <summary>One recipient's state in a listing.</summary>
public sealed record RecipientSummary(string Address, RecipientState State);

/// <summary>A page of messages, newest first; pass <c>NextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record MessagePage(IReadOnlyList<MessageSummary> Items, string? NextCursor);

/// <summary>Everything known about one message.</summary>
public sealed record MessageDetail(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string ClientAddress,
    string? HeloName,
    string? AuthenticatedUser,
    string? TlsProtocol,
    string ReversePath,
    long Size,
    string? BodyType,
    HeadlineHeadersDto Headers,
    IReadOnlyList<TraceHop> Trace,
    IReadOnlyList<RecipientDetail> Recipients);

public sealed record HeadlineHeadersDto(string? MessageId, string? Subject, string? From, string? To, string? Date);

/// <summary>One recipient with its delivery state and every attempt.</summary>
public sealed record RecipientDetail(
    string Address,
    RecipientState State,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastReplyCode,
    string? LastEnhancedCode,
    string? LastReplyText,
    IReadOnlyList<AttemptDetail> Attempts);

public sealed record AttemptDetail(
    DateTimeOffset StartedAt,
    double DurationMs,
    string NextHop,
    AttemptOutcome Outcome,
    int? ReplyCode,
    string? EnhancedCode,
    string? ReplyText);

/// <summary>One event of one message.</summary>
public sealed record MessageEventDto(
    long Id,
    EventKind Kind,
    DateTimeOffset At,
    string? Recipient,
    string? Actor,
    string? Details);
