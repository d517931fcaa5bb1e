using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.Smtp.Security;
using Gateway.Tests.Infrastructure;
using MailKit.Security;

namespace Gateway.Tests.Security;

/// <summary>STARTTLS (RFC 3207), implicit TLS and the certificate the listeners serve.</summary>
[Collection("postgres")]
public sealed class StartTlsTests(PostgresFixture postgres)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Auth_BeforeStartTls_IsNotOfferedAndRefusedWith538()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.StartTlsPort);

        var ehlo = await connection.CommandAsync("EHLO client.test");
        var auth = await connection.CommandAsync("AUTH PLAIN " + RawSmtpConnection.Base64("\0app\0" + Password));

        Assert.Matches(@"\n250[- ]STARTTLS\n", ehlo);
        Assert.DoesNotContain("AUTH", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("538 5.7.11 Encryption required", auth, StringComparison.Ordinal);

        // After STARTTLS the same listener offers AUTH and no longer STARTTLS.
        Assert.StartsWith("220 2.0.0", await connection.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        await connection.StartTlsAsync();
        var secureEhlo = await connection.CommandAsync("EHLO client.test");
        Assert.Contains("AUTH PLAIN LOGIN", secureEhlo, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", secureEhlo, StringComparison.Ordinal);
        Assert.StartsWith("503 5.5.1 TLS is already active", await connection.CommandAsync("STARTTLS"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTls_PlaintextPipelinedAfterIt_IsDiscarded()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.StartTlsPort);
        await connection.CommandAsync("EHLO client.test");

        // The STARTTLS injection attack: commands sent in the same packet as STARTTLS, before the handshake.
        await connection.SendAsync("STARTTLS\r\nRSET\r\nMAIL FROM:<injected@attacker.test>\r\n");
        Assert.StartsWith("220 2.0.0", await connection.ReadReplyAsync(), StringComparison.Ordinal);
        await connection.StartTlsAsync();

        // The first reply over TLS answers the first command sent over TLS: nothing injected was executed...
        var ehlo = await connection.CommandAsync("EHLO client.test");
        Assert.StartsWith("250-gateway.test Hello client.test", ehlo, StringComparison.Ordinal);

        // ...and no transaction was started by the injected MAIL.
        Assert.StartsWith("503 5.5.1", await connection.CommandAsync("RCPT TO:<someone@elsewhere.test>"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTls_ThenPlaintextInsteadOfAHandshake_ClosesTheConnection()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.StartTlsPort);
        await connection.CommandAsync("EHLO client.test");

        Assert.StartsWith("220 2.0.0", await connection.CommandAsync("STARTTLS"), StringComparison.Ordinal);
        await connection.SendAsync("MAIL FROM:<injected@attacker.test>\r\n");

        // The server reads the line as a (bad) TLS ClientHello and gives up: no SMTP reply comes back.
        Assert.Equal(string.Empty, await connection.ReadReplyAsync());
    }

    [Fact]
    public async Task Tls_Negotiated_IsVersion12OrLater()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        var options = gateway.Host.GetService<TlsCertificateProvider>().CreateServerOptions();
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);

        using var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect);
        Assert.True(client.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"{client.SslProtocol}");
    }

    [Fact]
    public async Task TlsCertificate_FileReplacedWhileRunning_IsServedFromTheNextConnection()
    {
        var directory = Directory.CreateTempSubdirectory("gw-cert.").FullName;
        var (certificatePath, keyPath) = (Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
        var first = TestCertificate.WritePem(certificatePath, keyPath, "first.gateway.test");
        await using var gateway = await SecureGateway.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:Smtp:Tls:CertificatePath"] = certificatePath,
            ["Gateway:Smtp:Tls:KeyPath"] = keyPath,
        });

        using (var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect))
        {
            Assert.Equal(first, gateway.LastServerCertificate!.Thumbprint);
        }

        var second = TestCertificate.WritePem(certificatePath, keyPath, "second.gateway.test");

        using (var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect))
        {
            Assert.Equal(second, gateway.LastServerCertificate!.Thumbprint);
        }

        using (var client = await gateway.ConnectAsync(gateway.StartTlsPort, SecureSocketOptions.StartTls))
        {
            Assert.Equal(second, gateway.LastServerCertificate!.Thumbprint);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TlsCertificate_NoneConfigured_SelfSignedIsGeneratedOnceAndKept()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        var path = Path.Combine(gateway.DataDirectory, "tls", "self-signed.pfx");
        Assert.True(File.Exists(path));
        using var generated = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        Assert.Equal("CN=gateway.test", generated.Subject);
        var names = generated.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["gateway.test", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([System.Net.IPAddress.Loopback, System.Net.IPAddress.IPv6Loopback], names.EnumerateIPAddresses());

        using var client = await gateway.ConnectAsync(gateway.StartTlsPort, SecureSocketOptions.StartTls);
        Assert.Equal(generated.Thumbprint, gateway.LastServerCertificate!.Thumbprint);
    }
}
