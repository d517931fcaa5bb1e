using System.Security.Authentication;
using Gateway.Core.Logging;
using Gateway.Smtp;
using Gateway.Smtp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security;

public sealed class TlsCertificateProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-tls.").FullName;

    [Fact]
    public void Certificate_NoneConfigured_GeneratedOnceWithAWarningThenReused()
    {
        var firstLog = new CapturingLogger<TlsCertificateProvider>();
        var first = Provider(new SmtpTlsOptions(), firstLog).Certificate;
        var secondLog = new CapturingLogger<TlsCertificateProvider>();
        var second = Provider(new SmtpTlsOptions(), secondLog).Certificate;

        Assert.Equal("CN=mail.gateway.test", first.Subject);
        Assert.True(first.HasPrivateKey);
        Assert.Equal(first.Thumbprint, second.Thumbprint);
        var generated = Assert.Single(firstLog.Entries);
        Assert.Equal((GatewayEventId.SelfSignedCertificateGenerated, LogLevel.Warning),
            (generated.EventId, generated.Level));
        Assert.Contains("generated a self-signed certificate", generated.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayEventId.SelfSignedCertificateInUse, Assert.Single(secondLog.Entries).EventId);
    }

    [Fact]
    public void Certificate_PemFilesReplaced_ReloadedAndLogged()
    {
        var (certificatePath, keyPath) = (Path.Combine(_directory, "c.pem"), Path.Combine(_directory, "k.pem"));
        var first = TestCertificate.WritePem(certificatePath, keyPath, "one.test");
        var log = new CapturingLogger<TlsCertificateProvider>();
        var provider = Provider(new SmtpTlsOptions { CertificatePath = certificatePath, KeyPath = keyPath }, log);

        Assert.Equal(first, provider.Certificate.Thumbprint);
        Assert.Equal(first, provider.Certificate.Thumbprint);
        var second = TestCertificate.WritePem(certificatePath, keyPath, "two.test");

        Assert.Equal(second, provider.Certificate.Thumbprint);
        Assert.True(provider.Certificate.HasPrivateKey);
        Assert.Equal(2, log.Entries.Count(e => e.EventId == GatewayEventId.TlsCertificateLoaded));
    }

    [Fact]
    public void Certificate_ReplacedByGarbage_KeepsServingThePreviousOne()
    {
        var (certificatePath, keyPath) = (Path.Combine(_directory, "c.pem"), Path.Combine(_directory, "k.pem"));
        var first = TestCertificate.WritePem(certificatePath, keyPath, "one.test");
        var log = new CapturingLogger<TlsCertificateProvider>();
        var provider = Provider(new SmtpTlsOptions { CertificatePath = certificatePath, KeyPath = keyPath }, log);
        Assert.Equal(first, provider.Certificate.Thumbprint);

        File.WriteAllText(certificatePath, "-----BEGIN CERTIFICATE-----\nnot a certificate\n");

        Assert.Equal(first, provider.Certificate.Thumbprint);
        Assert.Contains(log.Entries, e => e.EventId == GatewayEventId.TlsCertificateReloadFailed);
    }

    [Fact]
    public void ServerOptions_Always_AllowOnlyTls12And13()
    {
        var options = Provider(new SmtpTlsOptions(), new CapturingLogger<TlsCertificateProvider>())
            .CreateServerOptions();

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.NotNull(options.ServerCertificateContext);
    }

    private TlsCertificateProvider Provider(SmtpTlsOptions tls, ILogger<TlsCertificateProvider> logger) => new(
        Options.Create(tls), Options.Create(new SmtpOptions { Hostname = "mail.gateway.test" }), _directory,
        TimeProvider.System, logger);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
