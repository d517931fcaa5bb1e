namespace Gateway.Smtp.Relay.Notices;

/// <summary>
/// Which notices a recipient's NOTIFY parameter asks for (RFC 3461 §4.1). Without the parameter the gateway
/// reports failures, and delays when delay notices are turned on, as §4.1 leaves to the MTA.
/// </summary>
public sealed record NotifyConditions(bool Success, bool Failure, bool Delay)
{
    public static NotifyConditions Default { get; } = new(false, true, true);

    public static NotifyConditions Parse(string? notify)
    {
        if (string.IsNullOrWhiteSpace(notify))
        {
            return Default;
        }

        var words = notify.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToUpperInvariant())
            .ToHashSet();
        return words.Contains("NEVER")
            ? new NotifyConditions(false, false, false)
            : new NotifyConditions(words.Contains("SUCCESS"), words.Contains("FAILURE"), words.Contains("DELAY"));
    }
}
