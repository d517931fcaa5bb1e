namespace Gateway.Smtp.Relay.Notices;

/// <summary>The Action field of a per-recipient DSN group (RFC 3464 §2.3.3) that the gateway reports.</summary>
public enum NoticeAction
{
    Failed,
    Delayed,

    /// <summary>Delivered to a next hop that was not asked to report further (the gateway passes no DSN on).</summary>
    Relayed,
}
