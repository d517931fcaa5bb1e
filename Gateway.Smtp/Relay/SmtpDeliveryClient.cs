using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gateway.Smtp.Relay.Routing;

namespace Gateway.Smtp.Relay;

/// <summary>
/// An SMTP client that sends stored messages byte for byte. MailKit's <c>SmtpClient</c> only sends a
/// <c>MimeMessage</c>, re-serialised by MimeKit with Bcc, Resent-Bcc and Content-Length hidden, which a relay
/// must not do to mail it was trusted with; so delivery speaks the protocol itself (docs/relay.md).
/// </summary>
public sealed partial class SmtpDeliveryClient : IAsyncDisposable
{
    private const int MaxReplyLineLength = 4096;

    private readonly TcpClient _tcp;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _dataTimeout;
    private readonly byte[] _readBuffer = new byte[4096];
    private Stream _stream;
    private int _readStart;
    private int _readEnd;
    private HashSet<string> _keywords = [];
    private long _maxMessageSize;
    private HashSet<string> _authMechanisms = [];

    private SmtpDeliveryClient(TcpClient tcp, NextHop hop, TimeSpan timeout, TimeSpan dataTimeout)
    {
        _tcp = tcp;
        _stream = new BufferedStream(tcp.GetStream(), 64 * 1024);
        _timeout = timeout;
        _dataTimeout = dataTimeout;
        NextHop = hop;
    }

    public NextHop NextHop { get; }

    public bool SupportsPipelining => _keywords.Contains("PIPELINING");

    public bool Supports8BitMime => _keywords.Contains("8BITMIME");

    public bool SupportsSmtpUtf8 => _keywords.Contains("SMTPUTF8");

    public bool SupportsDsn => _keywords.Contains("DSN");

    public bool SupportsSize => _keywords.Contains("SIZE");

    /// <summary>The TLS protocol in use (for example <c>Tls13</c>), or null for a clear-text connection.</summary>
    public string? TlsProtocol { get; private set; }

    public string? TlsCipher { get; private set; }

    /// <summary>True once the next hop said 421 or the connection broke; it must not be reused.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Messages sent on this connection so far.</summary>
    public int Transactions { get; private set; }

    /// <summary>
    /// Connects, reads the greeting, says EHLO, starts TLS as the hop's mode asks and authenticates when the hop has
    /// credentials. Throws <see cref="NextHopException"/> for anything that leaves no usable session.
    /// </summary>
    public static async Task<SmtpDeliveryClient> ConnectAsync(
        NextHop hop,
        string heloName,
        TimeSpan timeout,
        TimeSpan dataTimeout,
        CancellationToken cancellationToken)
    {
        var tcp = new TcpClient(hop.Address?.AddressFamily ?? AddressFamily.InterNetwork) { NoDelay = true };
        SmtpDeliveryClient? client = null;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(timeout);
                if (hop.Address is null)
                {
                    tcp.Dispose();
                    tcp = new TcpClient { NoDelay = true };
                    await tcp.ConnectAsync(hop.Host, hop.Port, connectTimeout.Token);
                }
                else
                {
                    await tcp.ConnectAsync(hop.Address, hop.Port, connectTimeout.Token);
                }
            }

            client = new SmtpDeliveryClient(tcp, hop, timeout, dataTimeout);
            await client.OpenSessionAsync(heloName, cancellationToken);
            return client;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException
                                       or AuthenticationException)
        {
            await DisposeAsync(client, tcp);
            throw new NextHopException($"Could not connect to {hop}: {ex.Message}", ex)
            {
                TlsFailed = ex is AuthenticationException,
            };
        }
        catch
        {
            await DisposeAsync(client, tcp);
            throw;
        }
    }

    private static async Task DisposeAsync(SmtpDeliveryClient? client, TcpClient tcp)
    {
        if (client is null)
        {
            tcp.Dispose();
        }
        else
        {
            await client.DisposeAsync();
        }
    }

    private async Task OpenSessionAsync(string heloName, CancellationToken cancellationToken)
    {
        var greeting = await ReadReplyAsync(cancellationToken);
        if (greeting.Code != 220)
        {
            throw new NextHopException($"{NextHop} greeted with {greeting}") { Reply = greeting };
        }

        await HelloAsync(heloName, cancellationToken);
        if (NextHop.Tls != TlsMode.None && _keywords.Contains("STARTTLS"))
        {
            await StartTlsAsync(heloName, cancellationToken);
        }
        else if (NextHop.Tls == TlsMode.Required)
        {
            throw new NextHopException($"TLS is required for {NextHop}, which does not offer STARTTLS")
            {
                TlsFailed = true,
            };
        }

        if (!string.IsNullOrEmpty(NextHop.Username))
        {
            await AuthenticateAsync(NextHop.Username, NextHop.Password ?? string.Empty, cancellationToken);
        }
    }

    private async Task HelloAsync(string heloName, CancellationToken cancellationToken)
    {
        await WriteLineAsync($"EHLO {heloName}", cancellationToken);
        var (ehlo, lines) = await ReadReplyLinesAsync(cancellationToken);
        if (ehlo.Code == 250)
        {
            var extensions = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            _keywords = extensions.Where(e => e.Length > 0).Select(e => e[0].ToUpperInvariant()).ToHashSet();

            // RFC 1870 §4: "SIZE <octets>" is the fixed maximum; none or 0 means no fixed maximum is declared.
            _maxMessageSize = extensions
                .Where(e => e.Length > 1 && e[0].Equals("SIZE", StringComparison.OrdinalIgnoreCase))
                .Select(e => long.TryParse(e[1], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var octets) ? octets : 0)
                .FirstOrDefault();
            _authMechanisms = extensions
                .Where(e => e.Length > 1 && e[0].Equals("AUTH", StringComparison.OrdinalIgnoreCase))
                .SelectMany(e => e.Skip(1)).Select(m => m.ToUpperInvariant()).ToHashSet();
            return;
        }

        ThrowIfClosing(ehlo);
        await WriteLineAsync($"HELO {heloName}", cancellationToken);
        var helo = await ReadReplyAsync(cancellationToken);
        if (helo.Code != 250)
        {
            throw new NextHopException($"{NextHop} refused HELO: {helo}") { Reply = helo };
        }

        _keywords = [];
        _maxMessageSize = 0;
        _authMechanisms = [];
    }

    // RFC 3207: STARTTLS, a 220, the handshake, then the session starts over with EHLO.
    private async Task StartTlsAsync(string heloName, CancellationToken cancellationToken)
    {
        await WriteLineAsync("STARTTLS", cancellationToken);
        var reply = await ReadReplyAsync(cancellationToken);
        if (reply.Code != 220)
        {
            throw new NextHopException($"{NextHop} refused STARTTLS: {reply}") { Reply = reply, TlsFailed = true };
        }

        // Bytes that arrived after the 220 but before the handshake were sent in clear text and could have been
        // injected (CVE-2011-0411); a next hop that pipelines past STARTTLS is not one to trust with the session.
        if (_readStart != _readEnd)
        {
            throw new NextHopException($"{NextHop} sent data after its STARTTLS reply") { TlsFailed = true };
        }

        var ssl = new SslStream(_tcp.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = NextHop.Host,
            RemoteCertificateValidationCallback = ValidateCertificate,
        }, timeout.Token);
        _stream = new BufferedStream(ssl, 64 * 1024);
        TlsProtocol = ssl.SslProtocol.ToString();
        TlsCipher = ssl.NegotiatedCipherSuite.ToString();
        await HelloAsync(heloName, cancellationToken);
    }

    private bool ValidateCertificate(
        object sender,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors)
    {
        // Opportunistic TLS checks nothing (RFC 7435); required TLS checks as the route's policy says.
        return NextHop.Tls != TlsMode.Required
               || NextHop.CertificateValidation == CertificateValidation.None
               || errors == SslPolicyErrors.None;
    }

    // RFC 4954 with PLAIN (RFC 4616) when offered, else LOGIN; secrets never reach a log.
    private async Task AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        NextHopReply reply;
        if (_authMechanisms.Contains("PLAIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            await WriteLineAsync($"AUTH PLAIN {token}", cancellationToken);
            reply = await ReadReplyAsync(cancellationToken);
        }
        else if (_authMechanisms.Contains("LOGIN"))
        {
            await WriteLineAsync("AUTH LOGIN", cancellationToken);
            reply = await ReadReplyAsync(cancellationToken);
            if (reply.Code == 334)
            {
                await WriteLineAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(username)), cancellationToken);
                reply = await ReadReplyAsync(cancellationToken);
            }

            if (reply.Code == 334)
            {
                await WriteLineAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), cancellationToken);
                reply = await ReadReplyAsync(cancellationToken);
            }
        }
        else
        {
            throw new NextHopException($"{NextHop} offers neither AUTH PLAIN nor AUTH LOGIN");
        }

        if (reply.Code != 235)
        {
            throw new NextHopException($"{NextHop} refused our credentials: {reply}") { Reply = reply };
        }
    }

    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        if (IsBroken)
        {
            return;
        }

        try
        {
            await WriteLineAsync("QUIT", cancellationToken);
            await ReadReplyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or NextHopException
                                       or OperationCanceledException)
        {
            // The message outcomes are already known; a next hop that hangs up early changes nothing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Disposing flushes what is still buffered; on a connection the next hop already closed that fails,
            // and there is nothing left to tell it.
            await _stream.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _tcp.Dispose();
        }
    }
}
