using MimeKit;

namespace Gateway.Api.Api;

/// <summary>Allowed-sender rules of an API key: an address matches itself, <c>@domain</c> matches the domain.</summary>
public static class SenderRules
{
    public static bool IsValidRule(string rule) =>
        rule.StartsWith('@') ? rule.Length > 1 && !rule.AsSpan(1).ContainsAny("@ \r\n")
            : MailboxAddress.TryParse(rule, out var mailbox) && mailbox.Address == rule;

    public static bool Allows(IReadOnlyList<string> rules, string reversePath)
    {
        if (rules.Count == 0)
        {
            return true;
        }

        var at = reversePath.LastIndexOf('@');
        var domain = at >= 0 ? reversePath[at..] : null;
        return rules.Any(r => string.Equals(r, reversePath, StringComparison.OrdinalIgnoreCase) ||
                              (domain is not null && string.Equals(r, domain, StringComparison.OrdinalIgnoreCase)));
    }
}
