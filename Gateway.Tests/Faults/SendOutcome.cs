namespace Gateway.Tests.Faults;

/// <summary>What a client knows about one message it tried to send.</summary>
public enum SendOutcome
{
    /// <summary>The server replied 250 to the end of DATA: the gateway owns the message.</summary>
    Accepted,

    /// <summary>The server replied something else (4xx/5xx) at some step: the gateway must not deliver it.</summary>
    Refused,

    /// <summary>The connection broke before the end of DATA was sent: the message is incomplete.</summary>
    CutBeforeEnd,

    /// <summary>The end of DATA was sent but no reply came: the gateway may or may not have committed it.</summary>
    InDoubt,
}
