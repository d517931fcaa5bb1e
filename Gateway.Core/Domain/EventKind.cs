namespace Gateway.Core.Domain;

public enum EventKind
{
    Received,
    Delivered,
    Deferred,
    Failed,
    Held,
    Released,
    Cancelled,
    Retried,
    Bounced,
    DelayNotified,
}
