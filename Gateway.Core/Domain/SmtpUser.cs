namespace Gateway.Core.Domain;

/// <summary>
/// An account an application uses to authenticate over SMTP (AUTH) and relay through the gateway.
/// Managed through <see cref="Users.SmtpUserService"/>; the password is only ever stored as a salted PBKDF2 hash.
/// </summary>
public sealed class SmtpUser
{
    public Guid Id { get; set; }

    /// <summary>The login name, stored in lower case; names compare case-insensitively.</summary>
    public required string Name { get; set; }

    /// <summary>ASP.NET Core Identity's v3 hash format: PBKDF2 with HMAC-SHA512, a random salt and the iteration count.</summary>
    public required string PasswordHash { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// What the user may put in MAIL FROM: whole addresses (<c>app@example.com</c>), domains (<c>example.com</c> or
    /// <c>@example.com</c>), or <c>*</c> for any sender. Empty means no sender is allowed.
    /// </summary>
    public List<string> AllowedSenders { get; set; } = [];

    /// <summary>Messages the user may submit in any 60 seconds; null for no limit.</summary>
    public int? MessagesPerMinute { get; set; }

    /// <summary>Messages the user may submit in any 24 hours; null for no limit.</summary>
    public int? MessagesPerDay { get; set; }

    /// <summary>Recipients the user may give in one message; null for the listener's own limit.</summary>
    public int? MaxRecipientsPerMessage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the user last authenticated successfully.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
