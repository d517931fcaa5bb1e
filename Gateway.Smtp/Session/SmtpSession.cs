using System.Buffers;
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
    private ArrayBufferWriter<byte>? _content;
    private string? _queueId;
    private int _errors;

    public string SessionId { get; } = Guid.CreateVersion7().ToString("N")[^12..];

    public IPAddress ClientAddress { get; } = clientAddress;

    public SmtpReply Greeting => SmtpReplies.Greeting(options.Hostname);

    /// <summary>The content buffer of the transaction whose data is being read; null outside DATA.</summary>
    public IBufferWriter<byte>? Content => _content;

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
        return ++_errors >= options.MaxErrors ? (SmtpReplies.TooManyErrors, SessionAction.Close) : (reply, action);
    }

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
        _transaction = null;
        if (!extended)
        {
            return (new SmtpReply(250, null, $"{options.Hostname}"), SessionAction.Continue);
        }

        return (new SmtpReply(250, null, [
            $"{options.Hostname} Hello {name} [{ClientAddress}]",
            "PIPELINING",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {options.MaxMessageSize}"),
            "8BITMIME",
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

        if (!PathParser.TryParse(pathText, allowNull: true, out var reversePath, out var parameters, out var error))
        {
            return (error!.Code == 501 ? SmtpReplies.BadSenderSyntax(error.Lines[0]) : error, SessionAction.Continue);
        }

        string? bodyType = null;
        foreach (var (keyword, value) in parameters.Values)
        {
            switch (keyword)
            {
                case "SIZE" when _extended:
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                    {
                        return (SmtpReplies.SyntaxError("Syntax: SIZE=<octets>"), SessionAction.Continue);
                    }

                    if (size > options.MaxMessageSize)
                    {
                        return (SmtpReplies.MessageTooBig, SessionAction.Continue);
                    }

                    break;
                case "BODY" when _extended:
                    bodyType = value?.ToUpperInvariant();
                    if (bodyType is not ("7BIT" or "8BITMIME"))
                    {
                        return (SmtpReplies.SyntaxError("Syntax: BODY=7BIT or BODY=8BITMIME"), SessionAction.Continue);
                    }

                    break;
                default:
                    return (SmtpReplies.UnknownParameter(keyword), SessionAction.Continue);
            }
        }

        _transaction = new MailTransaction(reversePath, bodyType);
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

        if (!PathParser.TryParse(pathText, allowNull: false, out var forwardPath, out var parameters, out var error))
        {
            return (error!.Code == 501 ? SmtpReplies.BadRecipientSyntax(error.Lines[0]) : error,
                SessionAction.Continue);
        }

        if (parameters.Values.Count > 0)
        {
            return (SmtpReplies.UnknownParameter(parameters.Values.Keys.First()), SessionAction.Continue);
        }

        if (!MayRelay)
        {
            return (SmtpReplies.RelayDenied, SessionAction.Continue);
        }

        if (_transaction.Recipients.Count >= options.MaxRecipients)
        {
            return (SmtpReplies.TooManyRecipients, SessionAction.Continue);
        }

        _transaction.Recipients.Add(forwardPath);
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

        // The queue id is fixed now so that our Received header can name it ahead of the content.
        _queueId = Guid.CreateVersion7().ToString("N");
        _content = new ArrayBufferWriter<byte>(16 * 1024);
        _content.Write(ReceivedHeader.Build(_heloName!, ClientAddress, options.Hostname,
            ProtocolName, _queueId, _transaction.Recipients, time.GetUtcNow(), Tls));
        return (SmtpReplies.StartMailInput, SessionAction.ReadData);
    }

    private (SmtpReply, SessionAction) Reset(string argument)
    {
        if (argument.Length > 0)
        {
            return (SmtpReplies.SyntaxError("Syntax: RSET takes no argument"), SessionAction.Continue);
        }

        _transaction = null;
        return (SmtpReplies.ResetOk, SessionAction.Continue);
    }

    /// <summary>Ends the data phase: commits the message (or refuses it) and clears the transaction.</summary>
    public async Task<SmtpReply> CompleteDataAsync(DataOutcome outcome, CancellationToken cancellationToken)
    {
        var transaction = _transaction!;
        var content = _content!;
        var queueId = _queueId!;
        _transaction = null;
        _content = null;
        _queueId = null;

        if (outcome != DataOutcome.Complete)
        {
            var refusal = outcome == DataOutcome.TooBig ? SmtpReplies.MessageTooBig : SmtpReplies.BareLineEnding;
            SessionLog.MessageNotQueued(logger, SessionId, refusal.Code, refusal.EnhancedCode);
            return refusal;
        }

        var message = new IncomingMessage
        {
            Id = Guid.ParseExact(queueId, "N"),
            ReceivedAt = time.GetUtcNow(),
            ClientAddress = ClientAddress.ToString(),
            HeloName = _heloName,
            AuthenticatedUser = AuthenticatedUser,
            TlsProtocol = Tls?.Protocol,
            TlsCipher = Tls?.Cipher,
            ReversePath = transaction.ReversePath,
            Recipients = transaction.Recipients,
            BodyType = transaction.BodyType,
            Content = content.WrittenMemory,
        };

        try
        {
            await ingestor.CommitAsync(message, cancellationToken);
        }
        catch (IngestUnavailableException)
        {
            SessionLog.MessageNotQueued(logger, SessionId, 451, "4.3.0");
            return SmtpReplies.StoreUnavailable;
        }

        SessionLog.MessageQueued(logger, SessionId, queueId, transaction.ReversePath,
            transaction.Recipients.Count, message.Content.Length);
        return SmtpReplies.Queued(queueId);
    }

    // "FROM:<a>" and the "FROM: <a>" that many clients send (RFC 5321 has no space; §4.1.1.2 text tolerates it).
    private static bool TryStripKeyword(string argument, string keyword, out string rest)
    {
        if (argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            rest = argument[keyword.Length..];
            return true;
        }

        rest = string.Empty;
        return false;
    }
}
