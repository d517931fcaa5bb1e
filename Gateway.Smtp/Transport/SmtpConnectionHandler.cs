using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Gateway.Core.Ingest;
using Gateway.Core.Telemetry;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;
using Gateway.Smtp.Security;
using Gateway.Smtp.Session;
using Gateway.Smtp.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Kestrel's side of an SMTP connection: reads command lines, mail data and BDAT chunks from the pipe, hands them
/// to the <see cref="SmtpSession"/>, and writes its replies. Replies are flushed when the input runs dry, which is
/// what PIPELINING (RFC 2920) needs: a batch of commands gets its batch of replies in order. Limits and timeouts
/// are described in docs/smtp.md.
/// </summary>
public sealed class SmtpConnectionHandler(
    IOptions<SmtpOptions> options,
    IMessageIngestor ingestor,
    TrustedNetworks trustedNetworks,
    ConnectionLimiter limiter,
    ShutdownGrace shutdown,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<SmtpConnectionHandler> logger,
    ConnectionSecurity? security = null) : ConnectionHandler
{
    // How many times MaxCommandLineLength one command line may run before the connection is closed.
    private const int EndlessLineFactor = 16;

    private readonly SmtpOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var refusal = limiter.TryEnter(remote);
        if (refusal is not null)
        {
            SessionLog.ConnectionRefused(logger, remote, refusal.Lines[0]);
            refusal.WriteTo(connection.Transport.Output);
            await connection.Transport.Output.FlushAsync();
            return;
        }

        try
        {
            var trusted = trustedNetworks.Contains(remote);
            var session = new SmtpSession(_options, remote, trusted, ingestor, time, logger)
            {
                Listener = ConnectionSecurity.ListenerOf(connection),
                Authenticator = security?.Authenticator,
            };
            ConnectionSecurity.RecordImplicitTls(connection, session);
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = session.SessionId });
            SessionLog.SessionStarted(logger, session.SessionId, remote);
            using var telemetry = new SessionTelemetry(metrics, session);
            var reason = await RunSafelyAsync(session, connection.Transport, trusted, telemetry);
            SessionLog.SessionEnded(logger, session.SessionId, reason);
        }
        finally
        {
            limiter.Leave(remote);
        }
    }

    private async Task<SessionEndReason> RunSafelyAsync(SmtpSession session, IDuplexPipe pipe, bool trusted,
        SessionTelemetry telemetry)
    {
        try
        {
            // The transport can be swapped for TLS by STARTTLS; it owns the SslStream it may create.
            await using var transport = new SmtpTransport(pipe);
            return await RunAsync(session, transport, trusted, telemetry);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return SessionEndReason.ClientDisconnected;
        }
        catch (Exception ex)
        {
            SessionLog.SessionFaulted(logger, session.SessionId, ex);
            return SessionEndReason.Faulted;
        }
    }

    private async Task<SessionEndReason> RunAsync(SmtpSession session, SmtpTransport transport, bool trusted,
        SessionTelemetry telemetry)
    {
        var input = transport.Input;
        var output = transport.Output;
        var started = time.GetTimestamp();
        if (!trusted && _options.GreetingDelay > TimeSpan.Zero && await IsEarlyTalkerAsync(input))
        {
            SessionLog.EarlyTalker(logger, session.SessionId, session.ClientAddress);
            SmtpReplies.EarlyTalker.WriteTo(output);
            await output.FlushAsync();
            return SessionEndReason.EarlyTalker;
        }

        session.Greeting.WriteTo(output);
        await output.FlushAsync();

        var connection = new ConnectionState(time.GetTimestamp()) { Telemetry = telemetry };
        while (true)
        {
            var read = await ReadAsync(input, session, connection, started);
            if (read is null)
            {
                var (reply, reason) = ExpiryReply(connection);
                reply.WriteTo(output);
                await output.FlushAsync();
                return reason;
            }

            var (rest, end) = await ProcessAsync(session, connection, output, read.Value.Buffer);
            input.AdvanceTo(rest.Start, rest.End);
            await output.FlushAsync();
            if (end is not null)
            {
                return end.Value;
            }

            if (connection.StartTls)
            {
                connection.StartTls = false;
                if (security is null || !await security.StartTlsAsync(transport, session))
                {
                    return SessionEndReason.TlsHandshakeFailed;
                }

                (input, output) = (transport.Input, transport.Output);
                continue;
            }

            if (read.Value.IsCompleted)
            {
                // A connection dropped mid-DATA or mid-BDAT leaves the transaction uncommitted: nothing is stored.
                return SessionEndReason.ClientDisconnected;
            }
        }
    }

    // Consumes all complete commands, data and chunk bytes in the buffer; returns the rest and, to close, a reason.
    private async Task<(ReadOnlySequence<byte> Remaining, SessionEndReason? End)> ProcessAsync(
        SmtpSession session,
        ConnectionState connection,
        PipeWriter output,
        ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (connection.Data is not null)
            {
                var before = buffer.Length;
                var done = connection.Data.TryConsume(ref buffer, session.Inspector!);
                connection.Progress(time, buffer.Length != before);
                if (!done)
                {
                    return (buffer, null);
                }

                // Commit before replying: the 250 promises the message is on disk (docs/architecture.md).
                connection.Data = null;
                (await connection.Telemetry.CompleteAsync(() => session.CompleteDataAsync(CancellationToken.None)))
                    .WriteTo(output);
                continue;
            }

            if (connection.ChunkPending)
            {
                var take = Math.Min(connection.ChunkRemaining, buffer.Length);
                session.ReceiveChunk(buffer.Slice(0, take));
                buffer = buffer.Slice(take);
                connection.ChunkRemaining -= take;
                connection.Progress(time, take > 0);
                if (connection.ChunkRemaining > 0)
                {
                    return (buffer, null);
                }

                connection.ChunkPending = false;
                (await connection.Telemetry.CompleteAsync(() => session.CompleteChunkAsync(CancellationToken.None)))
                    .WriteTo(output);
                continue;
            }

            // Shutting down: a session between transactions is told so now; one inside a transaction goes on.
            if (shutdown.IsStopping && !session.InTransaction)
            {
                SmtpReplies.ShuttingDown.WriteTo(output);
                return (buffer, SessionEndReason.ServerShutdown);
            }

            var outcome = NextCommand(session, connection, ref buffer);
            if (outcome is null)
            {
                return (buffer, null);
            }

            var (reply, action) = await outcome;
            connection.Telemetry.CommandAnswered(connection.Verb,
                action == SessionAction.Close ? session.RefusalBeforeClosing ?? reply : reply);
            switch (action)
            {
                case SessionAction.StartTls:
                    // RFC 3207 §4.2, the STARTTLS injection class: plaintext the client sent after STARTTLS is
                    // dropped unread; the session only reads what arrives over TLS.
                    reply.WriteTo(output);
                    connection.StartTls = true;
                    return (buffer.Slice(buffer.End), null);
                case SessionAction.ReadChunk:
                    // The reply to BDAT waits until its chunk has been read.
                    connection.ChunkRemaining = session.PendingChunkSize;
                    connection.ChunkPending = true;
                    connection.Telemetry.ContentStarted();
                    continue;
                case SessionAction.ReadData:
                    connection.Data = new MessageContentReader();
                    connection.Telemetry.ContentStarted();
                    break;
            }

            reply.WriteTo(output);
            if (action == SessionAction.Close)
            {
                return (buffer, EndReasonOf(reply));
            }
        }
    }

    // Reads the next command line and lets the session handle it; null when no complete line is buffered yet.
    private Task<(SmtpReply Reply, SessionAction Action)>? NextCommand(
        SmtpSession session,
        ConnectionState connection,
        ref ReadOnlySequence<byte> buffer)
    {
        connection.Verb = null;
        while (true)
        {
            if (!TryReadLine(ref buffer, out var line))
            {
                if (buffer.Length <= _options.MaxCommandLineLength)
                {
                    return null;
                }

                // No line end within the limit: refuse it, and drop the rest of that line when it comes. A client
                // that keeps sending one endless line is cut off, or it could keep us reading forever.
                connection.DiscardedBytes += buffer.Length;
                buffer = buffer.Slice(buffer.End);
                if (connection.DiscardedBytes > EndlessLineFactor * (long)_options.MaxCommandLineLength)
                {
                    return Task.FromResult((SmtpReplies.EndlessLine, SessionAction.Close));
                }

                if (connection.DiscardingLongLine)
                {
                    return null;
                }

                connection.DiscardingLongLine = true;
                return Task.FromResult(session.Reject(SmtpReplies.LineTooLong));
            }

            connection.Progress(time, madeProgress: true);
            if (connection.DiscardingLongLine)
            {
                connection.DiscardingLongLine = false;
                connection.DiscardedBytes = 0;
                continue;
            }

            if (line.Length > _options.MaxCommandLineLength)
            {
                return Task.FromResult(session.Reject(SmtpReplies.LineTooLong));
            }

            var text = DecodeLine(line);
            connection.Verb = EnvelopeVerb(text);
            if (IsDataCommand(text) && !buffer.IsEmpty)
            {
                return Task.FromResult(session.RefuseDataBeforeGoAhead());
            }

            return session.HandleAsync(text, CancellationToken.None);
        }
    }

    private static SessionEndReason EndReasonOf(SmtpReply reply) => reply switch
    {
        { Code: 221 } => SessionEndReason.Quit,
        _ when ReferenceEquals(reply, SmtpReplies.TooManyErrors) => SessionEndReason.TooManyErrors,
        _ => SessionEndReason.ProtocolViolation,
    };

    // Early talkers (RFC 5321 §4.3.1 wants the client to wait for the greeting): anything sent during the
    // greeting delay is refused. Legitimate clients never do this; spam engines that skip the dialogue do.
    private async Task<bool> IsEarlyTalkerAsync(PipeReader input)
    {
        using var delay = new CancellationTokenSource(_options.GreetingDelay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(delay.Token, shutdown.Stopping);
        try
        {
            var result = await input.ReadAsync(linked.Token);
            input.AdvanceTo(result.Buffer.Start);
            return !result.Buffer.IsEmpty;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // The wait for input ends at the idle timeout (for a command: counted from the last complete line, so a
    // client dripping bytes cannot stretch it), at the session time limit, or at shutdown: at once between
    // transactions, after the grace period inside one.
    private async Task<ReadResult?> ReadAsync(
        PipeReader input,
        SmtpSession session,
        ConnectionState connection,
        long started)
    {
        var insideTransaction = session.InTransaction || connection.Data is not null || connection.ChunkPending;
        var idleLeft = _options.IdleTimeout - time.GetElapsedTime(connection.WaitingSince);
        var sessionLeft = _options.MaxSessionDuration - time.GetElapsedTime(started);
        var timeout = idleLeft < sessionLeft ? idleLeft : sessionLeft;
        connection.SessionLimitIsNext = sessionLeft <= idleLeft;
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(
            timer.Token, insideTransaction ? shutdown.Expired : shutdown.Stopping);
        try
        {
            return await input.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private (SmtpReply Reply, SessionEndReason Reason) ExpiryReply(ConnectionState connection)
    {
        if (shutdown.IsStopping)
        {
            return (SmtpReplies.ShuttingDown, SessionEndReason.ServerShutdown);
        }

        return connection.SessionLimitIsNext
            ? (SmtpReplies.SessionTimeLimit, SessionEndReason.SessionTimeLimit)
            : (SmtpReplies.IdleTimeout, SessionEndReason.IdleTimeout);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    // DATA, with or without an argument: the one command after which the client must wait (RFC 2920 §3.1).
    private static bool IsDataCommand(string line) =>
        line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) && (line.Length == 4 || line[4] == ' ');

    // "mail" or "rcpt" for the commands whose refusals the envelope-rejection metric counts; null for the others.
    private static string? EnvelopeVerb(string line)
    {
        static bool Is(string line, string verb) => line.StartsWith(verb, StringComparison.OrdinalIgnoreCase)
                                                    && (line.Length == verb.Length || line[verb.Length] == ' ');

        return Is(line, "MAIL") ? "mail" : Is(line, "RCPT") ? "rcpt" : null;
    }

    // Commands are ASCII, or UTF-8 under SMTPUTF8; invalid UTF-8 decodes to U+FFFD, which every parser refuses.
    private static string DecodeLine(ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private sealed class ConnectionState(long waitingSince)
    {
        /// <summary>When the wait for the current command line (or the next data bytes) began.</summary>
        public long WaitingSince { get; private set; } = waitingSince;

        /// <summary>Metrics and traces of the session and its transactions.</summary>
        public required SessionTelemetry Telemetry { get; init; }

        public MessageContentReader? Data { get; set; }

        public long ChunkRemaining { get; set; }

        public bool ChunkPending { get; set; }

        public bool DiscardingLongLine { get; set; }

        /// <summary>Octets of the current over-long command line thrown away so far.</summary>
        public long DiscardedBytes { get; set; }

        /// <summary>"mail" or "rcpt" while the command being answered is one of those; null otherwise.</summary>
        public string? Verb { get; set; }

        /// <summary>STARTTLS was answered with 220: the TLS handshake comes next.</summary>
        public bool StartTls { get; set; }

        /// <summary>True when the current wait ends at the session time limit rather than the idle timeout.</summary>
        public bool SessionLimitIsNext { get; set; }

        public void Progress(TimeProvider time, bool madeProgress)
        {
            if (madeProgress)
            {
                WaitingSince = time.GetTimestamp();
            }
        }
    }
}
