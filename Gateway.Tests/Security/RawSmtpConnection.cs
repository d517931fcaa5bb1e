using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Gateway.Tests.Security;

/// <summary>
/// A byte-level SMTP client for the exchanges MailKit will not make (pipelined plaintext after STARTTLS, AUTH
/// before TLS, hand-made SASL responses). Reads whole replies, multi-line ones included.
/// </summary>
internal sealed class RawSmtpConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _pending = [];

    private readonly SecureGateway _gateway;

    private RawSmtpConnection(TcpClient tcp, SecureGateway gateway)
    {
        _tcp = tcp;
        _gateway = gateway;
        _stream = tcp.GetStream();
    }

    public string Greeting { get; private set; } = string.Empty;

    public static async Task<RawSmtpConnection> ConnectAsync(SecureGateway gateway, int port,
        bool implicitTls = false)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var connection = new RawSmtpConnection(tcp, gateway);
        if (implicitTls)
        {
            await connection.StartTlsAsync();
        }

        connection.Greeting = await connection.ReadReplyAsync();
        return connection;
    }

    public SslProtocols? TlsProtocol => (_stream as SslStream)?.SslProtocol;

    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Starts TLS over the connection as it is; the server must show the gateway's certificate.</summary>
    public async Task StartTlsAsync(SslProtocols protocols = SslProtocols.None)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "gateway.test",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => _gateway.IsGatewayCertificate(certificate),
        }, timeout.Token);
        _stream = tls;
    }

    /// <summary>Reads one reply: lines up to the one with a space after the code. Empty when the server closed.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var reply = new StringBuilder();
        while (await ReadLineAsync() is { } line)
        {
            reply.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-')
            {
                break;
            }
        }

        return reply.ToString();
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[1];
        while (true)
        {
            var end = _pending.IndexOf((byte)'\n');
            if (end >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, end).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, end + 1);
                return line;
            }

            if (await _stream.ReadAsync(buffer, timeout.Token) == 0)
            {
                return null;
            }

            _pending.Add(buffer[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
