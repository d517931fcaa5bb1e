using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;

namespace Gateway.Smtp.Session;

/// <summary>
/// CHUNKING (RFC 3030): BDAT carries an exact octet count, so its chunk is read by count, never scanned for a
/// terminator, and is consumed in full even when the command is refused, so that no chunk byte is ever read as a
/// command. A chunk that takes the message over a limit fails the transaction at once.
/// </summary>
public sealed partial class SmtpSession
{
    private PendingChunk? _chunk;

    /// <summary>The octet count of the chunk to read now, after a command returned ReadChunk.</summary>
    public long PendingChunkSize => _chunk?.Size ?? 0;

    private (SmtpReply, SessionAction) Bdat(string argument)
    {
        // Without a valid count the chunk's end is unknown; reading on would take content for commands.
        if (!BdatCommand.TryParse(argument, out var command))
        {
            return (SmtpReplies.SyntaxError("Syntax: BDAT <chunk-size> [LAST], closing connection"),
                SessionAction.Close);
        }

        if (command.ChunkSize > options.MaxMessageSize)
        {
            ClearTransaction();
            return (SmtpReplies.MessageTooBig, SessionAction.Close);
        }

        var refusal = ChunkRefusal();
        if (refusal is null && !_transaction!.UsesChunking)
        {
            _transaction.UsesChunking = true;
            BeginContent();
        }

        _chunk = new PendingChunk(command.ChunkSize, command.IsLast, refusal);
        return (refusal ?? SmtpReplies.Ok, SessionAction.ReadChunk);
    }

    private SmtpReply? ChunkRefusal()
    {
        if (_transaction is null)
        {
            return SmtpReplies.BadSequence("Need MAIL command");
        }

        return _transaction.Recipients.Count == 0 ? SmtpReplies.BadSequence("Need RCPT command") : null;
    }

    /// <summary>Takes the next bytes of the pending chunk; they are stored only if the chunk was accepted.</summary>
    public void ReceiveChunk(System.Buffers.ReadOnlySequence<byte> bytes)
    {
        if (_chunk is { Refusal: null })
        {
            _inspector!.Append(bytes);
        }
    }

    /// <summary>Called when the whole chunk was read: replies to the BDAT, committing the message after LAST.</summary>
    public async Task<SmtpReply> CompleteChunkAsync(CancellationToken cancellationToken)
    {
        var chunk = _chunk!;
        _chunk = null;
        if (chunk.Refusal is not null)
        {
            return chunk.Refusal;
        }

        if (chunk.IsLast)
        {
            return await CompleteContentAsync(cancellationToken);
        }

        var inspector = _inspector!;
        if (inspector.Outcome != DataOutcome.Complete)
        {
            ClearTransaction();
            return Refuse(inspector.Outcome, inspector);
        }

        SessionLog.ChunkReceived(logger, SessionId, chunk.Size, inspector.Size);
        return SmtpReplies.ChunkReceived(chunk.Size);
    }

    private sealed record PendingChunk(long Size, bool IsLast, SmtpReply? Refusal);
}
