namespace Gateway.Core.Domain;

/// <summary>What an operator may do on the dashboard.</summary>
public enum OperatorRole
{
    /// <summary>Reads everything; changes nothing.</summary>
    Viewer,

    /// <summary>Also acts on mail and manages SMTP users, API keys and operators.</summary>
    Admin,
}
