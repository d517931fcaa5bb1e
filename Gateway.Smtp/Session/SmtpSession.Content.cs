using System.Buffers;
using Gateway.Core.Ingest;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;

namespace Gateway.Smtp.Session;

/// <summary>The content of a transaction, from DATA or BDAT: inspected as it arrives, committed before 250.</summary>
public sealed partial class SmtpSession
{
    private ArrayBufferWriter<byte>? _content;
    private ContentInspector? _inspector;
    private string? _queueId;

    /// <summary>The inspector (and store) of the content being received; null outside DATA and BDAT.</summary>
    public ContentInspector? Inspector => _inspector;

    /// <summary>True from an accepted MAIL until the transaction ends; graceful shutdown waits for it.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>
    /// Refuses a DATA command whose content arrived before our 354 (RFC 2920 §3.1): those bytes were sent blind,
    /// and reading them either as content or as commands could let one message hide another.
    /// </summary>
    public (SmtpReply Reply, SessionAction Action) RefuseDataBeforeGoAhead()
    {
        ClearTransaction();
        SessionLog.CommandRejected(logger, SessionId, "DATA", SmtpReplies.DataBeforeGoAhead.Code);
        return (SmtpReplies.DataBeforeGoAhead, SessionAction.Close);
    }

    /// <summary>Ends the data phase of DATA: commits the message (or refuses it) and clears the transaction.</summary>
    public Task<SmtpReply> CompleteDataAsync(CancellationToken cancellationToken) =>
        CompleteContentAsync(cancellationToken);

    private void BeginContent()
    {
        // The queue id is fixed now so that our Received header can name it ahead of the content.
        var transaction = _transaction!;
        // RFC 3848 names (ESMTP, ESMTPS, ESMTPA, ESMTPSA); with SMTPUTF8, RFC 6531 §3.7.3's UTF8SMTP forms.
        var protocol = ProtocolName(transaction.SmtpUtf8);
        _queueId = Guid.CreateVersion7().ToString("N");
        _content = new ArrayBufferWriter<byte>(16 * 1024);
        _content.Write(ReceivedHeader.Build(_heloName!, ClientAddress, options.Hostname, protocol, _queueId,
            transaction.Recipients, time.GetUtcNow(), Tls));
        _inspector = new ContentInspector(options, _content);
    }

    private void ClearTransaction()
    {
        _transaction = null;
        _content = null;
        _inspector = null;
        _queueId = null;
    }

    private async Task<SmtpReply> CompleteContentAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction!;
        var content = _content!;
        var inspector = _inspector!;
        var queueId = _queueId!;
        ClearTransaction();

        var outcome = inspector.Finish();
        if (outcome != DataOutcome.Complete)
        {
            return Refuse(outcome, inspector);
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
            SmtpUtf8 = transaction.SmtpUtf8,
            DsnReturn = transaction.DsnReturn,
            DsnEnvelopeId = transaction.DsnEnvelopeId,
            RecipientDsn = transaction.RecipientDsn,
            HasLongLines = inspector.HasLongLines,
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

    private SmtpReply Refuse(DataOutcome outcome, ContentInspector inspector)
    {
        var refusal = outcome switch
        {
            DataOutcome.TooBig => SmtpReplies.MessageTooBig,
            DataOutcome.HeaderTooBig => SmtpReplies.HeaderTooBig,
            DataOutcome.TooManyHops => SmtpReplies.TooManyHops(inspector.ReceivedHeaders),
            _ => SmtpReplies.BareLineEnding,
        };
        SessionLog.MessageNotQueued(logger, SessionId, refusal.Code, refusal.EnhancedCode);
        return refusal;
    }
}
