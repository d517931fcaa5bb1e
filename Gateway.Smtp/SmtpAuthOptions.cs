namespace Gateway.Smtp;

/// <summary>Brute-force protection of SMTP AUTH (<c>Gateway:Smtp:Auth</c>). Details: docs/security.md.</summary>
public sealed class SmtpAuthOptions
{
    /// <summary>How long a failed login waits before its 535 (or 454) reply.</summary>
    public TimeSpan FailureDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failures for one user name within <see cref="FailureWindow"/> that lock that name.</summary>
    public int MaxFailuresPerUser { get; set; } = 5;

    /// <summary>Failures from one client address within <see cref="FailureWindow"/> that lock that address.</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked user name or address gets <c>454 4.7.0</c> to every login.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
