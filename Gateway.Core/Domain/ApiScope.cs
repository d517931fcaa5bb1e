namespace Gateway.Core.Domain;

/// <summary>What an API key may do. A key holds one or more scopes; none implies another.</summary>
[Flags]
public enum ApiScope
{
    None = 0,

    /// <summary>Read messages, events and stats.</summary>
    Read = 1,

    /// <summary>Submit mail over HTTP.</summary>
    Send = 2,

    /// <summary>Operator actions, API keys, webhooks and SMTP users.</summary>
    Manage = 4,
}
