using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Gateway.Smtp.Security;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Gateway.Tests.Security;

/// <summary>
/// A gateway with the three kinds of SMTP listener (plain, STARTTLS, implicit TLS) on free loopback ports, its own
/// data directory (for the self-signed certificate), an empty trusted-network list so that loopback clients are
/// treated like any other host, a short AUTH failure delay, and a downstream sink as smarthost.
/// </summary>
internal sealed class SecureGateway : IAsyncDisposable
{
    private SecureGateway(GatewayHost host, DownstreamSmtpServer downstream, string dataDirectory, int plain,
        int startTls, int implicitTls)
    {
        Host = host;
        Downstream = downstream;
        DataDirectory = dataDirectory;
        PlainPort = plain;
        StartTlsPort = startTls;
        ImplicitTlsPort = implicitTls;
    }

    public GatewayHost Host { get; }

    public DownstreamSmtpServer Downstream { get; }

    public string DataDirectory { get; }

    public int PlainPort { get; }

    public int StartTlsPort { get; }

    public int ImplicitTlsPort { get; }

    /// <summary>The certificate the server showed on the last TLS connection of a client made here.</summary>
    public X509Certificate2? LastServerCertificate { get; private set; }

    public static async Task<SecureGateway> StartAsync(PostgresFixture postgres,
        IDictionary<string, string?>? settings = null)
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("gw-security.").FullName;
        var downstream = new DownstreamSmtpServer();
        var (plain, startTls, implicitTls) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var all = new Dictionary<string, string?>
        {
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{downstream.Port}",
            ["Gateway:Smtp:TrustedNetworks:0"] = "none",
            ["Gateway:Smtp:Auth:FailureDelay"] = "00:00:00.100",
            ["Gateway:Smtp:Auth:MaxFailuresPerAddress"] = "1000",
            ["Gateway:Smtp:GreetingDelay"] = "00:00:00",
        };
        AddListener(all, 0, plain, "plain");
        AddListener(all, 1, startTls, "starttls");
        AddListener(all, 2, implicitTls, "implicit-tls");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = GatewayHost.Start(connectionString, all);
        return new SecureGateway(host, downstream, dataDirectory, plain, startTls, implicitTls);
    }

    private static void AddListener(Dictionary<string, string?> settings, int index, int port, string mode)
    {
        var prefix = $"Gateway:Smtp:Listeners:{index}:";
        settings[prefix + "Port"] = port.ToString(CultureInfo.InvariantCulture);
        settings[prefix + "Mode"] = mode;
        settings[prefix + "BindAddress"] = "127.0.0.1";
    }

    public async Task<SmtpUser> AddUserAsync(string name, string password, IEnumerable<string>? senders = null,
        SmtpUserLimits? limits = null)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<SmtpUserService>();
        return await users.CreateAsync(name, password, senders ?? ["example.com"], limits ?? SmtpUserLimits.None,
            CancellationToken.None);
    }

    public async Task<T> QueryAsync<T>(Func<GatewayDbContext, Task<T>> query)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<GatewayDbContext>());
    }

    public Task<Message> SingleMessageAsync() =>
        QueryAsync(db => db.Messages.Include(m => m.Content).Include(m => m.TraceHeaders).SingleAsync());

    /// <summary>A MailKit client that accepts the gateway's (self-signed) certificate and remembers it.</summary>
    public async Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security)
    {
        var client = new SmtpClient
        {
            CheckCertificateRevocation = false,
            Timeout = 15_000,
            ServerCertificateValidationCallback = (_, certificate, _, _) => IsGatewayCertificate(certificate),
        };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), port, security);
        return client;
    }

    /// <summary>
    /// Certificate pinning for the tests' clients: the certificate must be the one the gateway serves now (its
    /// self-signed or configured certificate). Remembers what it saw.
    /// </summary>
    public bool IsGatewayCertificate(X509Certificate? certificate)
    {
        LastServerCertificate = certificate is null ? null : new X509Certificate2(certificate);
        var current = Host.GetService<TlsCertificateProvider>().Certificate;
        return certificate is not null && certificate.GetCertHashString() == current.Thumbprint;
    }

    public static MimeMessage NewMessage(string from, string to, string subject = "Hello")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "A test message.\r\n" };
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Downstream.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
