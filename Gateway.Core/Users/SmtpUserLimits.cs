namespace Gateway.Core.Users;

/// <summary>Per-user sending limits; a null limit means none (or, for recipients, the listener's own limit).</summary>
public sealed record SmtpUserLimits(int? MessagesPerMinute, int? MessagesPerDay, int? MaxRecipientsPerMessage)
{
    public static SmtpUserLimits None { get; } = new(null, null, null);
}
