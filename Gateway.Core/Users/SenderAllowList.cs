namespace Gateway.Core.Users;

/// <summary>
/// The rules for a user's allowed senders. Entries are a whole address (<c>app@example.com</c>), a domain
/// (<c>example.com</c> or <c>@example.com</c>; exact domain, subdomains are not included), or <c>*</c> for any
/// sender including the null reverse-path. Comparison ignores case.
/// </summary>
public static class SenderAllowList
{
    public const string AnySender = "*";

    /// <summary>Checks and normalises one entry; throws <see cref="SmtpUserException"/> when it is not valid.</summary>
    public static string Normalise(string entry)
    {
        var trimmed = entry.Trim().ToLowerInvariant();
        if (trimmed == AnySender)
        {
            return trimmed;
        }

        var domain = trimmed.StartsWith('@') ? trimmed[1..] : trimmed;
        var at = domain.LastIndexOf('@');
        var localPart = at < 0 ? null : domain[..at];
        domain = at < 0 ? domain : domain[(at + 1)..];
        if (domain.Length == 0 || domain.Length > 255 || localPart is { Length: 0 or > 64 } ||
            !domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') ||
            trimmed.Any(c => c <= ' ' || c >= 0x7F || c is '<' or '>'))
        {
            throw new SmtpUserException(
                $"'{entry}' is not an allowed-sender entry: use an address, a domain, @domain, or * for any sender.");
        }

        return localPart is null ? domain : trimmed;
    }

    /// <summary>Whether <paramref name="reversePath"/> (empty for the null path) is allowed by the entries.</summary>
    public static bool Permits(IEnumerable<string> entries, string reversePath)
    {
        var at = reversePath.LastIndexOf('@');
        var domain = at < 0 ? null : reversePath[(at + 1)..];
        foreach (var entry in entries)
        {
            if (entry == AnySender)
            {
                return true;
            }

            if (reversePath.Length == 0)
            {
                continue;
            }

            var entryDomain = entry.StartsWith('@') ? entry[1..] : entry;
            if (string.Equals(entry, reversePath, StringComparison.OrdinalIgnoreCase) ||
                (!entryDomain.Contains('@', StringComparison.Ordinal) &&
                 string.Equals(entryDomain, domain, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
