namespace Gateway.Web.Dashboard;

/// <summary>Dashboard settings (configuration section Gateway:Dashboard).</summary>
public sealed class DashboardOptions
{
    /// <summary>The first admin's password; when empty, the first start generates one and logs it once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>How long a sign-in lasts without use.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often an open page re-checks that its operator's session still stands.</summary>
    public TimeSpan SessionRevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
