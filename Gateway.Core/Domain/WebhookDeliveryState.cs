namespace Gateway.Core.Domain;

public enum WebhookDeliveryState
{
    /// <summary>Not yet accepted by the receiver; tried again at <c>NextAttemptAt</c>.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed; no more tries.</summary>
    Failed,
}
