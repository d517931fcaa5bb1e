namespace Gateway.Smtp.Protocol;

/// <summary>
/// Reads the Reverse-path and Forward-path of RFC 5321 §4.1.2: <c>&lt;[A-d-l:]Mailbox&gt;</c>, where a source
/// route (A-d-l) is accepted and ignored (§C), followed by ESMTP parameters.
/// </summary>
public static class PathParser
{
    private const int MaxLocalPart = 64;   // RFC 5321 §4.5.3.1.1
    private const int MaxDomain = 255;     // §4.5.3.1.2
    private const int MaxPath = 256;       // §4.5.3.1.3, brackets included

    /// <summary>Parses the text after <c>MAIL FROM:</c> or <c>RCPT TO:</c>; the address is returned without brackets.</summary>
    public static bool TryParse(
        string argument,
        bool allowNull,
        out string address,
        out MailParameters parameters,
        out SmtpReply? error)
    {
        address = string.Empty;
        parameters = MailParameters.Empty;
        var text = argument.AsSpan().TrimStart(' ');
        if (text.IsEmpty || text[0] != '<')
        {
            error = SmtpReplies.SyntaxError("Syntax: address must be enclosed in <>");
            return false;
        }

        var close = FindClosingBracket(text);
        if (close < 0)
        {
            error = SmtpReplies.SyntaxError("Syntax: missing closing >");
            return false;
        }

        if (close + 1 > MaxPath)
        {
            error = SmtpReplies.SyntaxError("Path too long (RFC 5321 §4.5.3.1.3)");
            return false;
        }

        var path = text[1..close];
        var rest = text[(close + 1)..];
        if (!rest.IsEmpty && rest[0] != ' ')
        {
            error = SmtpReplies.SyntaxError("Syntax: expected a space after the address");
            return false;
        }

        if (!MailParameters.TryParse(rest, out parameters, out var parameterError))
        {
            error = SmtpReplies.SyntaxError(parameterError!);
            return false;
        }

        return TryParseMailbox(StripSourceRoute(path), allowNull, out address, out error);
    }

    private static int FindClosingBracket(ReadOnlySpan<char> text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    // RFC 5321 §4.1.2 and Appendix C: "@one,@two:user@three" is delivered to user@three.
    private static ReadOnlySpan<char> StripSourceRoute(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '@')
        {
            return path;
        }

        var colon = path.IndexOf(':');
        return colon < 0 ? path : path[(colon + 1)..];
    }

    private static bool TryParseMailbox(ReadOnlySpan<char> mailbox, bool allowNull, out string address,
        out SmtpReply? error)
    {
        address = mailbox.ToString();
        error = null;
        if (mailbox.IsEmpty)
        {
            if (allowNull)
            {
                return true;
            }

            error = SmtpReplies.SyntaxError("Syntax: empty address");
            return false;
        }

        foreach (var c in mailbox)
        {
            if (c > 0x7E)
            {
                error = SmtpReplies.NonAsciiAddress;
                return false;
            }

            // Control characters (CR and LF among them) could inject lines into relayed commands or headers.
            if (c < 0x20 || c == 0x7F)
            {
                error = SmtpReplies.SyntaxError("Syntax: control character in address");
                return false;
            }
        }

        var at = LastUnquotedAt(mailbox);
        if (at < 0)
        {
            // RFC 5321 §4.5.1: <postmaster> without a domain must be accepted as a recipient.
            if (!allowNull && mailbox.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            error = SmtpReplies.SyntaxError("Syntax: address must be local-part@domain");
            return false;
        }

        var localPart = mailbox[..at];
        var domain = mailbox[(at + 1)..];
        if (localPart.IsEmpty || localPart.Length > MaxLocalPart)
        {
            error = SmtpReplies.SyntaxError("Local part empty or longer than 64 octets (RFC 5321 §4.5.3.1.1)");
            return false;
        }

        if (!IsValidLocalPart(localPart))
        {
            error = SmtpReplies.SyntaxError("Syntax: invalid local part");
            return false;
        }

        if (domain.IsEmpty || domain.Length > MaxDomain || !IsValidDomain(domain))
        {
            error = SmtpReplies.SyntaxError("Syntax: invalid domain");
            return false;
        }

        return true;
    }

    private static int LastUnquotedAt(ReadOnlySpan<char> mailbox)
    {
        var quoted = false;
        var at = -1;
        for (var i = 0; i < mailbox.Length; i++)
        {
            if (mailbox[i] == '\\' && quoted)
            {
                i++;
            }
            else if (mailbox[i] == '"')
            {
                quoted = !quoted;
            }
            else if (mailbox[i] == '@' && !quoted)
            {
                at = i;
            }
        }

        return at;
    }

    // Dot-string or Quoted-string (RFC 5321 §4.1.2).
    private static bool IsValidLocalPart(ReadOnlySpan<char> localPart)
    {
        if (localPart[0] == '"')
        {
            return localPart.Length >= 2 && localPart[^1] == '"';
        }

        if (localPart[0] == '.' || localPart[^1] == '.' || localPart.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in localPart)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // Domain or address literal ([192.0.2.1], [IPv6:2001:db8::1]).
    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain[0] == '[')
        {
            return domain[^1] == ']' && domain.Length > 2 && !domain[1..^1].ContainsAny("[]\\ ");
        }

        foreach (var label in domain.ToString().Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' ||
                !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
