using System.Globalization;
using System.Net;
using Gateway.Core.Ingest;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;
using Microsoft.Extensions.Logging;

namespace Gateway.Smtp.Session;

/// <summary>
/// The SMTP state machine of one connection: it turns command lines into replies and owns the mail transaction.
/// It knows nothing of sockets; the transport feeds it lines and message content.
/// </summary>
public sealed partial class SmtpSession(
    SmtpOptions options,
    IPAddress clientAddress,
    bool clientIsTrusted,
    IMessageIngestor ingestor,
    TimeProvider time,
    ILogger logger)
{
    private string? _heloName;
    private bool _extended;
    private MailTransaction? _transaction;
    private int _errors;

    public string SessionId { get; } = Guid.CreateVersion7().ToString("N")[^12..];

    public IPAddress ClientAddress { get; } = clientAddress;

    public SmtpReply Greeting => SmtpReplies.Greeting(options.Hostname);

    /// <summary>Handles one command line (without its CRLF).</summary>
    public (SmtpReply Reply, SessionAction Action) Handle(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? string.Empty : line[(space + 1)..];

        var (reply, action) = verb switch
        {
            "EHLO" => Hello(argument, extended: true),
            "HELO" => Hello(argument, extended: false),
            "MAIL" => Mail(argument),
            "RCPT" => Rcpt(argument),
            "DATA" => Data(argument),
            "BDAT" => Bdat(argument),
            "RSET" => Reset(argument),
            "NOOP" => (SmtpReplies.Ok, SessionAction.Continue),
            "VRFY" => (SmtpReplies.CannotVerify, SessionAction.Continue),
            "HELP" => (SmtpReplies.Help, SessionAction.Continue),
            "QUIT" => (SmtpReplies.Bye, SessionAction.Close),
            _ => (SmtpReplies.UnknownCommand, SessionAction.Continue),
        };

        return CountErrors(verb, reply, action);
    }

    /// <summary>Counts a protocol error that the transport found itself (an over-long line).</summary>
    public (SmtpReply Reply, SessionAction Action) Reject(SmtpReply reply) => CountErrors("-", reply, SessionAction.Continue);

    private (SmtpReply Reply, SessionAction Action) CountErrors(string verb, SmtpReply reply, SessionAction action)
    {
        if (reply.Code < 500)
        {
            return (reply, action);
        }

        SessionLog.CommandRejected(logger, SessionId, verb, reply.Code);
        if (++_errors < options.MaxErrors)
        {
            return (reply, action);
        }

        RefusalBeforeClosing = reply;
        return (SmtpReplies.TooManyErrors, SessionAction.Close);
    }

    /// <summary>
    /// The refusal that reached <c>MaxErrors</c>, which the client never sees (it gets the 421 instead); kept so
    /// that metrics can still name why the command was refused.
    /// </summary>
    public SmtpReply? RefusalBeforeClosing { get; private set; }

    private (SmtpReply, SessionAction) Hello(string argument, bool extended)
    {
        var name = argument.Trim();
        if (name.Length == 0 || name.Length > 255 || name.Any(c => c <= 0x20 || c >= 0x7F))
        {
            return (SmtpReplies.SyntaxError($"Syntax: {(extended ? "EHLO" : "HELO")} hostname"),
                SessionAction.Continue);
        }

        // RFC 5321 §4.1.4: EHLO/HELO resets the state as RSET does.
        _heloName = name;
        _extended = extended;
        ClearTransaction();
        if (!extended)
        {
            return (new SmtpReply(250, null, $"{options.Hostname}"), SessionAction.Continue);
        }

        return (new SmtpReply(250, null, [
            $"{options.Hostname} Hello {name} [{ClientAddress}]",
            "PIPELINING",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {options.MaxMessageSize}"),
            "8BITMIME",
            "SMTPUTF8",
            "CHUNKING",
            "DSN",
            "ENHANCEDSTATUSCODES",
            "HELP",
            .. SecurityExtensions()]), SessionAction.Continue);
    }

    private (SmtpReply, SessionAction) Mail(string argument)
    {
        if (_heloName is null)
        {
            return (SmtpReplies.BadSequence("Send EHLO or HELO first"), SessionAction.Continue);
        }

        if (_transaction is not null)
        {
            return (SmtpReplies.BadSequence("Nested MAIL command"), SessionAction.Continue);
        }

        if (!TryStripKeyword(argument, "FROM:", out var pathText))
        {
            return (SmtpReplies.SyntaxError("Syntax: MAIL FROM:<address>"), SessionAction.Continue);
        }

        // Parsed with UTF-8 allowed after EHLO; a non-ASCII address without SMTPUTF8 is refused just below.
        if (!PathParser.TryParse(pathText, allowNull: true, out var reversePath, out var parameters, out var error,
                allowUtf8: _extended))
        {
            return (error!.Code == 501 ? SmtpReplies.BadSenderSyntax(error.Lines[0]) : error, SessionAction.Continue);
        }

        if (!TryStartTransaction(reversePath, parameters, out var refusal))
        {
            return (refusal, SessionAction.Continue);
        }

        return (SmtpReplies.SenderOk, SessionAction.Continue);
    }

    private (SmtpReply, SessionAction) Rcpt(string argument)
    {
        if (_transaction is null)
        {
            return (SmtpReplies.BadSequence("Need MAIL before RCPT"), SessionAction.Continue);
        }

        if (!TryStripKeyword(argument, "TO:", out var pathText))
        {
            return (SmtpReplies.SyntaxError("Syntax: RCPT TO:<address>"), SessionAction.Continue);
        }

        if (!PathParser.TryParse(pathText, allowNull: false, out var forwardPath, out var parameters, out var error,
                allowUtf8: _transaction.SmtpUtf8))
        {
            return (error!.Code == 501 ? SmtpReplies.BadRecipientSyntax(error.Lines[0]) : error,
                SessionAction.Continue);
        }

        if (!TryReadRecipientParameters(parameters, out var dsn, out var refusal))
        {
            return (refusal, SessionAction.Continue);
        }

        if (!MayRelay)
        {
            return (SmtpReplies.RelayDenied, SessionAction.Continue);
        }

        if (_transaction.Recipients.Count >= options.MaxRecipients)
        {
            return (SmtpReplies.TooManyRecipients, SessionAction.Continue);
        }

        _transaction.AddRecipient(forwardPath, dsn);
        return (SmtpReplies.RecipientOk, SessionAction.Continue);
    }

    private (SmtpReply, SessionAction) Data(string argument)
    {
        if (argument.Length > 0)
        {
            return (SmtpReplies.SyntaxError("Syntax: DATA takes no argument"), SessionAction.Continue);
        }

        if (_transaction is null)
        {
            return (SmtpReplies.BadSequence("Need MAIL command"), SessionAction.Continue);
        }

        if (_transaction.Recipients.Count == 0)
        {
            return (SmtpReplies.BadSequence("Need RCPT command"), SessionAction.Continue);
        }

        if (_transaction.UsesChunking)
        {
            return (SmtpReplies.BadSequence("DATA cannot follow BDAT in one transaction (RFC 3030 section 3)"),
                SessionAction.Continue);
        }

        BeginContent();
        return (SmtpReplies.StartMailInput, SessionAction.ReadData);
    }

    private (SmtpReply, SessionAction) Reset(string argument)
    {
        if (argument.Length > 0)
        {
            return (SmtpReplies.SyntaxError("Syntax: RSET takes no argument"), SessionAction.Continue);
        }

        ClearTransaction();
        return (SmtpReplies.ResetOk, SessionAction.Continue);
    }

    // "FROM:<a>" and the "FROM: <a>" that many clients send (RFC 5321 has no space; §4.1.1.2 text tolerates it).
    private static bool TryStripKeyword(string argument, string keyword, out string rest)
    {
        // Extra spaces after the verb ("MAIL  FROM:") are tolerated as well.
        var text = argument.TrimStart(' ');
        if (text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            rest = text[keyword.Length..];
            return true;
        }

        rest = string.Empty;
        return false;
    }
}
