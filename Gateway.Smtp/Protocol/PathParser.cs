using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Smtp.Protocol;

/// <summary>
/// Reads the Reverse-path and Forward-path of RFC 5321 §4.1.2: <c>&lt;[A-d-l:]Mailbox&gt;</c>, where a source
/// route (A-d-l) is accepted and ignored (§C), followed by ESMTP parameters. With SMTPUTF8 (RFC 6531 §3.3) the
/// local part and the domain may hold UTF-8; the length limits count octets either way.
/// </summary>
public static class PathParser
{
    private const int MaxLocalPart = 64;   // RFC 5321 §4.5.3.1.1
    private const int MaxDomain = 255;     // §4.5.3.1.2
    private const int MaxPath = 256;       // §4.5.3.1.3, brackets included

    private static readonly SearchValues<char> DottedQuadCharacters = SearchValues.Create("0123456789.");

    /// <summary>Parses the text after <c>MAIL FROM:</c> or <c>RCPT TO:</c>; the address is returned without brackets.</summary>
    public static bool TryParse(
        string argument,
        bool allowNull,
        out string address,
        out MailParameters parameters,
        out SmtpReply? error,
        bool allowUtf8 = false)
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

        if (Encoding.UTF8.GetByteCount(text[..(close + 1)]) > MaxPath)
        {
            error = SmtpReplies.SyntaxError("Path longer than 256 octets (RFC 5321 section 4.5.3.1.3)");
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

        return TryParseMailbox(StripSourceRoute(path), allowNull, allowUtf8, out address, out error);
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

    private static bool TryParseMailbox(
        ReadOnlySpan<char> mailbox,
        bool allowNull,
        bool allowUtf8,
        out string address,
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
            // Control characters (CR and LF among them) could inject lines into relayed commands or headers;
            // U+FFFD stands for bytes that were not valid UTF-8.
            if (c < 0x20 || c == 0x7F || char.IsControl(c) || c == '\uFFFD')
            {
                error = SmtpReplies.SyntaxError("Syntax: control character or invalid UTF-8 in address");
                return false;
            }

            if (c > 0x7E && !allowUtf8)
            {
                error = SmtpReplies.NonAsciiAddress;
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
        if (localPart.IsEmpty || Encoding.UTF8.GetByteCount(localPart) > MaxLocalPart)
        {
            error = SmtpReplies.SyntaxError("Local part empty or longer than 64 octets (RFC 5321 section 4.5.3.1.1)");
            return false;
        }

        if (!IsValidLocalPart(localPart))
        {
            error = SmtpReplies.SyntaxError("Syntax: invalid local part");
            return false;
        }

        if (domain.IsEmpty || Encoding.UTF8.GetByteCount(domain) > MaxDomain)
        {
            error = SmtpReplies.SyntaxError("Domain empty or longer than 255 octets (RFC 5321 section 4.5.3.1.2)");
            return false;
        }

        if (!IsValidDomain(domain))
        {
            error = SmtpReplies.SyntaxError("Syntax: invalid domain or address literal");
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

    // Dot-string or Quoted-string (RFC 5321 §4.1.2); non-ASCII was already let through only under SMTPUTF8.
    private static bool IsValidLocalPart(ReadOnlySpan<char> localPart)
    {
        if (localPart[0] == '"')
        {
            return IsValidQuotedString(localPart);
        }

        if (localPart[0] == '.' || localPart[^1] == '.' || localPart.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in localPart)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c < 0x80 && !"!#$%&'*+-/=?^_`{|}~.".Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    // Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE; qtextSMTP is %d32-33 / %d35-91 / %d93-126.
    private static bool IsValidQuotedString(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[^1] != '"')
        {
            return false;
        }

        var inner = text[1..^1];
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\')
            {
                if (++i >= inner.Length)
                {
                    return false;
                }
            }
            else if (inner[i] == '"')
            {
                return false;
            }
        }

        return true;
    }

    // Domain (LDH labels, or U-labels under SMTPUTF8) or an address literal: [192.0.2.1] or [IPv6:2001:db8::1].
    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain[0] == '[')
        {
            return domain[^1] == ']' && IsValidAddressLiteral(domain[1..^1]);
        }

        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c < 0x80)
                {
                    return false;
                }
            }
        }

        return true;
    }

    // RFC 5321 §4.1.3. General address literals (Standardized-tag ":" dcontent) name no transport we can use,
    // so they are refused.
    private static bool IsValidAddressLiteral(ReadOnlySpan<char> literal)
    {
        if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            var text = literal[5..];
            return !text.Contains('%') && IPAddress.TryParse(text, out var v6) &&
                v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var dots = literal.Count('.');
        return dots == 3 && IPAddress.TryParse(literal, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork
            && literal.IndexOfAnyExcept(DottedQuadCharacters) < 0;
    }
}
