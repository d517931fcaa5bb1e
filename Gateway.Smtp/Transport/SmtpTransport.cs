using System.IO.Pipelines;
using System.Net.Security;
using Gateway.Smtp.Session;

namespace Gateway.Smtp.Transport;

/// <summary>
/// The pipe an SMTP session reads and writes: Kestrel's own at first, and after STARTTLS a pipe over an
/// <see cref="SslStream"/> that wraps Kestrel's. Disposing it ends the TLS layer, if there is one.
/// </summary>
public sealed class SmtpTransport(IDuplexPipe connection) : IAsyncDisposable
{
    private SslStream? _tls;

    public PipeReader Input { get; private set; } = connection.Input;

    public PipeWriter Output { get; private set; } = connection.Output;

    /// <summary>
    /// Runs the server side of a TLS handshake over the connection (RFC 3207 §4). The caller must have consumed
    /// every plaintext byte it read before calling: those are discarded, never read as if they came over TLS.
    /// </summary>
    public async Task<TlsFacts> StartTlsAsync(SslServerAuthenticationOptions options, TimeSpan timeout)
    {
        if (_tls is not null)
        {
            throw new InvalidOperationException("TLS is already active on this connection.");
        }

        _tls = new SslStream(new DuplexPipeStream(connection), leaveInnerStreamOpen: false);
        using var handshake = new CancellationTokenSource(timeout);
        await _tls.AuthenticateAsServerAsync(options, handshake.Token);

        Input = PipeReader.Create(_tls, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(_tls, new StreamPipeWriterOptions(leaveOpen: true));
        return TlsFacts.From(_tls.SslProtocol, _tls.NegotiatedCipherSuite);
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }
    }
}
