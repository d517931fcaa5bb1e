using Gateway.Core.Domain;

namespace Gateway.Smtp.Security;

/// <summary>The answer to one SMTP login: the user, or why not.</summary>
public sealed record AuthOutcome(SmtpUser? User, DateTimeOffset? LockedUntil)
{
    public static AuthOutcome Failed { get; } = new(null, null);

    public bool Succeeded => User is not null;
}
