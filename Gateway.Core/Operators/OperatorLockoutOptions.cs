namespace Gateway.Core.Operators;

/// <summary>Dashboard sign-in lockout (configuration section Gateway:Dashboard).</summary>
public sealed class OperatorLockoutOptions
{
    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    public int LockoutThreshold { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
