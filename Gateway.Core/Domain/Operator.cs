namespace Gateway.Core.Domain;

/// <summary>A person who signs in to the dashboard. Managed through <see cref="Operators.OperatorService"/>.</summary>
public sealed class Operator
{
    public Guid Id { get; set; }

    /// <summary>The sign-in name, stored in lower case.</summary>
    public required string Name { get; set; }

    /// <summary>ASP.NET Core Identity's v3 hash format (PBKDF2), as for SMTP users.</summary>
    public required string PasswordHash { get; set; }

    public OperatorRole Role { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Failed sign-ins since the last successful one; reaching the threshold locks the account.</summary>
    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
