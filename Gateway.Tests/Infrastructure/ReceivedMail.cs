using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>One transaction that <see cref="DownstreamSmtpServer"/> accepted at the end of DATA.</summary>
public sealed class ReceivedMail
{
    /// <summary>The MAIL FROM address without angle brackets; empty for the null reverse-path.</summary>
    public required string ReversePath { get; init; }

    /// <summary>The accepted RCPT TO addresses, in order, without angle brackets.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The message bytes exactly as sent, dot-stuffing undone, without the final ".CRLF".</summary>
    public required byte[] Content { get; init; }

    /// <summary>The MAIL FROM parameters, such as <c>BODY=8BITMIME</c> or <c>SMTPUTF8</c>.</summary>
    public IReadOnlyList<string> MailParameters { get; init; } = [];

    /// <summary>The name the client gave in EHLO or HELO.</summary>
    public string ClientName { get; init; } = string.Empty;

    /// <summary>Which accepted connection (1-based, counted over the server's life) carried the message.</summary>
    public int ConnectionNumber { get; init; }

    /// <summary>The content decoded as UTF-8, for assertions on text.</summary>
    public string ContentText => Encoding.UTF8.GetString(Content);
}
