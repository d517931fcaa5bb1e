using Gateway.Core.Domain;

namespace Gateway.Api.Api;

/// <summary>A new SMTP user. Limits left out mean none (recipients: the listener's own limit).</summary>
public sealed record CreateSmtpUserRequest(
    string? Name,
    string? Password,
    IReadOnlyList<string>? AllowedSenders,
    int? MessagesPerMinute,
    int? MessagesPerDay,
    int? MaxRecipientsPerMessage);

/// <summary>New limits for a user; a null limit means none.</summary>
public sealed record SmtpUserLimitsRequest(int? MessagesPerMinute, int? MessagesPerDay, int? MaxRecipientsPerMessage);

/// <summary>The senders a user may use in MAIL FROM: addresses, domains, or <c>*</c>.</summary>
public sealed record SmtpUserSendersRequest(IReadOnlyList<string>? AllowedSenders);

/// <summary>A new password.</summary>
public sealed record SmtpUserPasswordRequest(string? Password);

/// <summary>An SMTP user as listed: never its password hash.</summary>
public sealed record SmtpUserDto(
    string Name,
    bool Enabled,
    IReadOnlyList<string> AllowedSenders,
    int? MessagesPerMinute,
    int? MessagesPerDay,
    int? MaxRecipientsPerMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt)
{
    public static SmtpUserDto From(SmtpUser u) => new(u.Name, u.Enabled, u.AllowedSenders, u.MessagesPerMinute,
        u.MessagesPerDay, u.MaxRecipientsPerMessage, u.CreatedAt, u.LastUsedAt);
}
