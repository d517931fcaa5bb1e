using System.Globalization;

namespace Gateway.Smtp.Protocol;

/// <summary>The catalogue of replies the listener sends, named for what they mean.</summary>
public static class SmtpReplies
{
    public static SmtpReply Greeting(string host) => new(220, null, $"{host} ESMTP Gateway ready");

    public static SmtpReply Ok { get; } = new(250, "2.0.0", "Ok");

    public static SmtpReply SenderOk { get; } = new(250, "2.1.0", "Sender ok");

    public static SmtpReply RecipientOk { get; } = new(250, "2.1.5", "Recipient ok");

    public static SmtpReply ResetOk { get; } = new(250, "2.0.0", "Reset state");

    public static SmtpReply Queued(string queueId) => new(250, "2.0.0", $"Ok: queued as {queueId}");

    public static SmtpReply ChunkReceived(long octets) =>
        new(250, "2.0.0", string.Create(CultureInfo.InvariantCulture, $"{octets} octets received"));

    public static SmtpReply Bye { get; } = new(221, "2.0.0", "Bye");

    public static SmtpReply StartMailInput { get; } = new(354, null, "End data with <CR><LF>.<CR><LF>");

    // RFC 5321 §3.5.3: a server that will not verify says so with 252 and accepts mail for the address anyway.
    public static SmtpReply CannotVerify { get; } =
        new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    public static SmtpReply Help { get; } = new(214, "2.0.0",
        "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT", "See RFC 5321");

    public static SmtpReply IdleTimeout { get; } = new(421, "4.4.2", "Idle timeout, closing connection");

    public static SmtpReply TooManyErrors { get; } = new(421, "4.7.0", "Too many errors, closing connection");

    public static SmtpReply SessionTimeLimit { get; } =
        new(421, "4.4.2", "Session time limit reached, closing connection");

    public static SmtpReply TooManyConnections { get; } =
        new(421, "4.7.0", "Too many connections, try again later");

    public static SmtpReply TooManyConnectionsFromClient { get; } =
        new(421, "4.7.0", "Too many connections from your address, try again later");

    public static SmtpReply ShuttingDown { get; } = new(421, "4.3.2", "Service shutting down, closing connection");

    public static SmtpReply StoreUnavailable { get; } =
        new(451, "4.3.0", "Temporary failure storing the message, try again later");

    public static SmtpReply TooManyRecipients { get; } = new(452, "4.5.3", "Too many recipients");

    public static SmtpReply UnknownCommand { get; } = new(500, "5.5.2", "Command not recognized");

    public static SmtpReply LineTooLong { get; } = new(500, "5.5.2", "Line too long");

    public static SmtpReply EndlessLine { get; } = new(421, "4.7.0", "Command line without end, closing connection");

    public static SmtpReply SyntaxError(string detail) => new(501, "5.5.4", detail);

    public static SmtpReply BadSenderSyntax(string detail) => new(501, "5.1.7", detail);

    public static SmtpReply BadRecipientSyntax(string detail) => new(501, "5.1.3", detail);

    public static SmtpReply BadSequence(string detail) => new(503, "5.5.1", detail);

    // RFC 6531 §3.5: a non-ASCII address in a transaction that did not ask for SMTPUTF8.
    public static SmtpReply NonAsciiAddress { get; } =
        new(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter on MAIL (RFC 6531)");

    public static SmtpReply HeaderTooBig { get; } =
        new(552, "5.3.4", "Header section exceeds fixed maximum size");

    public static SmtpReply MessageTooBig { get; } = new(552, "5.3.4", "Message size exceeds fixed maximum size");

    public static SmtpReply BareLineEnding { get; } = new(554, "5.6.0",
        "Message refused: bare CR or LF in the data; lines must end with CRLF (RFC 5321 section 2.3.8)");

    // RFC 3463 §3.5: X.4.6 is "routing loop detected".
    public static SmtpReply TooManyHops(int count) => new(554, "5.4.6",
        $"Too many hops: {count} Received headers, mail loop suspected");

    // RFC 2920 §3.1: DATA ends a pipelined group; the client must wait for 354 before sending the content.
    public static SmtpReply DataBeforeGoAhead { get; } = new(554, "5.5.0",
        "Protocol error: data sent before the 354 reply (RFC 2920 section 3.1), closing connection");

    public static SmtpReply EarlyTalker { get; } = new(554, "5.5.0",
        "Protocol error: data sent before the greeting (RFC 5321 section 4.3.1), closing connection");

    public static SmtpReply RelayDenied { get; } = new(554, "5.7.1", "Relay access denied");

    public static SmtpReply UnknownParameter(string name) =>
        new(555, "5.5.4", $"Parameter {name} not recognized or not implemented");
}
