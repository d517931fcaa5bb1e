using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Gateway.Core.Ingest;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;
using Gateway.Smtp.Security;
using Gateway.Smtp.Session;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Kestrel's side of an SMTP connection: reads command lines and mail data from the pipe, hands them to the
/// <see cref="SmtpSession"/>, and writes its replies. Replies are flushed when the input runs dry, which is what
/// PIPELINING (RFC 2920) needs: a batch of commands gets its batch of replies in order.
/// </summary>
public sealed class SmtpConnectionHandler(
    IOptions<SmtpOptions> options,
    IMessageIngestor ingestor,
    TrustedNetworks trustedNetworks,
    ConnectionSecurity security,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SmtpConnectionHandler> logger) : ConnectionHandler
{
    private readonly SmtpOptions _options = options.Value;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var session = new SmtpSession(_options, remote, trustedNetworks.Contains(remote), ingestor, time, logger)
        {
            Listener = ConnectionSecurity.ListenerOf(connection),
            Authenticator = security.Authenticator,
        };
        ConnectionSecurity.RecordImplicitTls(connection, session);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = session.SessionId });
        SessionLog.SessionStarted(logger, session.SessionId, remote);

        var reason = SessionEndReason.Faulted;
        try
        {
            await using var transport = new SmtpTransport(connection.Transport);
            reason = await RunAsync(session, transport);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            reason = SessionEndReason.ClientDisconnected;
        }
        catch (Exception ex)
        {
            SessionLog.SessionFaulted(logger, session.SessionId, ex);
        }
        finally
        {
            SessionLog.SessionEnded(logger, session.SessionId, reason);
        }
    }

    private async Task<SessionEndReason> RunAsync(SmtpSession session, SmtpTransport transport)
    {
        var input = transport.Input;
        var output = transport.Output;
        session.Greeting.WriteTo(output);
        await output.FlushAsync();

        MessageContentReader? data = null;
        var discardingLongLine = false;
        while (true)
        {
            var read = await ReadAsync(input);
            if (read is null)
            {
                var shuttingDown = lifetime.ApplicationStopping.IsCancellationRequested;
                (shuttingDown ? SmtpReplies.ShuttingDown : SmtpReplies.IdleTimeout).WriteTo(output);
                await output.FlushAsync();
                return shuttingDown ? SessionEndReason.ServerShutdown : SessionEndReason.IdleTimeout;
            }

            var result = read.Value;
            var buffer = result.Buffer;
            var close = false;
            var startTls = false;
            while (!close && !startTls)
            {
                if (data is not null)
                {
                    if (!data.TryConsume(ref buffer, session.Content!))
                    {
                        break;
                    }

                    // Commit before replying: the 250 promises the message is on disk (docs/architecture.md).
                    var reply = await session.CompleteDataAsync(data.Outcome, CancellationToken.None);
                    reply.WriteTo(output);
                    data = null;
                    continue;
                }

                if (!TryReadLine(ref buffer, out var line))
                {
                    if (buffer.Length > _options.MaxCommandLineLength)
                    {
                        // No line end within the limit: refuse it, and drop the rest of that line when it comes.
                        buffer = buffer.Slice(buffer.End);
                        if (!discardingLongLine)
                        {
                            discardingLongLine = true;
                            close = Write(output, session.Reject(SmtpReplies.LineTooLong));
                        }
                    }

                    break;
                }

                if (discardingLongLine)
                {
                    discardingLongLine = false;
                    continue;
                }

                if (line.Length > _options.MaxCommandLineLength)
                {
                    close = Write(output, session.Reject(SmtpReplies.LineTooLong));
                    continue;
                }

                var (commandReply, action) = await session.HandleAsync(DecodeLine(line), CancellationToken.None);
                close = Write(output, (commandReply, action));
                if (action == SessionAction.ReadData)
                {
                    data = new MessageContentReader(_options.MaxMessageSize);
                }
                else if (action == SessionAction.StartTls)
                {
                    // RFC 3207 §4.2 / STARTTLS injection: whatever the client sent after STARTTLS in plaintext is
                    // dropped here, unread; the session only reads what arrives over TLS.
                    buffer = buffer.Slice(buffer.End);
                    startTls = true;
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            await output.FlushAsync();
            if (close)
            {
                return SessionEndReason.Quit;
            }

            if (startTls)
            {
                if (!await security.StartTlsAsync(transport, session))
                {
                    return SessionEndReason.TlsHandshakeFailed;
                }

                (input, output) = (transport.Input, transport.Output);
                continue;
            }

            if (result.IsCompleted)
            {
                // A connection dropped mid-DATA leaves the transaction uncommitted: nothing is stored.
                return SessionEndReason.ClientDisconnected;
            }
        }
    }

    private static bool Write(PipeWriter output, (SmtpReply Reply, SessionAction Action) outcome)
    {
        outcome.Reply.WriteTo(output);
        return outcome.Action == SessionAction.Close;
    }

    private async Task<ReadResult?> ReadAsync(PipeReader input)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        timeout.CancelAfter(_options.IdleTimeout);
        try
        {
            return await input.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
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

    // Commands are ASCII; anything else decodes to U+FFFD or above and is refused by the parsers.
    private static string DecodeLine(ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.EndsWith('\r') ? text[..^1] : text;
    }
}
