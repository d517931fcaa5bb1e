namespace Gateway.Web.Dashboard;

/// <summary>What a page tells the operator after an action: done, refused or failed, in words.</summary>
public sealed record ActionOutcome(bool Succeeded, string Message, string? Secret = null)
{
    public static ActionOutcome Done(string message, string? secret = null) => new(true, message, secret);

    public static ActionOutcome Refused(string message) => new(false, message);
}
