using Gateway.Core.Domain;

namespace Gateway.Web.Dashboard;

/// <summary>The role claim values of the dashboard cookie, and the policy every dashboard page requires.</summary>
public static class DashboardRoles
{
    public const string Admin = "admin";

    public const string Viewer = "viewer";

    /// <summary>Any signed-in operator, through the dashboard cookie.</summary>
    public const string OperatorPolicy = "DashboardOperator";

    public static string Of(OperatorRole role) => role == OperatorRole.Admin ? Admin : Viewer;
}
