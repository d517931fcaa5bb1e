using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Smtp.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Security;

/// <summary>
/// The certificate of the TLS listeners. It comes from the PEM or PFX files in <c>Gateway:Smtp:Tls</c>, and is
/// loaded again when those files change (checked at every handshake, which costs two file stats); without a
/// configured certificate, a self-signed one is generated under the data directory at first start and reused.
/// </summary>
public sealed class TlsCertificateProvider(
    IOptions<SmtpTlsOptions> tlsOptions,
    IOptions<SmtpOptions> smtpOptions,
    string dataDirectory,
    TimeProvider time,
    ILogger<TlsCertificateProvider> logger)
{
    private readonly SmtpTlsOptions _options = tlsOptions.Value;
    private readonly Lock _lock = new();
    private LoadedCertificate? _current;
    private FileStamp? _failedStamp;

    public string SelfSignedPath => Path.GetFullPath(Path.Combine(dataDirectory, "tls", "self-signed.pfx"));

    /// <summary>The certificate handshakes use now.</summary>
    public X509Certificate2 Certificate => Current().Certificate;

    /// <summary>Server options for one handshake: today's certificate, TLS 1.2 or 1.3 only.</summary>
    public SslServerAuthenticationOptions CreateServerOptions() => new()
    {
        ServerCertificateContext = Current().Context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    private LoadedCertificate Current()
    {
        lock (_lock)
        {
            var stamp = ReadStamp();
            if (_current is not null && _current.Stamp == stamp && _current.Certificate.NotAfter > Now.AddDays(1))
            {
                return _current;
            }

            if (_current is not null && stamp == _failedStamp)
            {
                return _current;
            }

            try
            {
                _current = Load(stamp);
                _failedStamp = null;
            }
            catch (Exception ex) when (_current is not null &&
                                       ex is IOException or CryptographicException or UnauthorizedAccessException)
            {
                // A file half-written by the operator's copy: keep serving the old certificate, try the next change.
                _failedStamp = stamp;
                SecurityLog.CertificateReloadFailed(logger, _options.CertificatePath!, ex);
            }

            return _current;
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private LoadedCertificate Load(FileStamp stamp)
    {
        if (string.IsNullOrWhiteSpace(_options.CertificatePath))
        {
            return LoadSelfSigned();
        }

        var certificate = LoadConfigured(_options.CertificatePath, _options.KeyPath, _options.Password);
        SecurityLog.CertificateLoaded(logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter,
            _options.CertificatePath);
        return new LoadedCertificate(certificate, stamp, LoadIntermediates(_options.CertificatePath, certificate));
    }

    // A PEM file may carry the chain after the leaf; the handshake sends those certificates too.
    private static X509Certificate2Collection? LoadIntermediates(string path, X509Certificate2 leaf)
    {
        if (Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12")
        {
            return null;
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(path);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint != leaf.Thumbprint)
            {
                intermediates.Add(certificate);
            }
        }

        return intermediates;
    }

    private static X509Certificate2 LoadConfigured(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        using var pem = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);

        // A PEM key is ephemeral; round-tripping through PKCS#12 gives SslStream a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private LoadedCertificate LoadSelfSigned()
    {
        var path = SelfSignedPath;
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
            if (existing.NotAfter > Now.AddDays(1))
            {
                SecurityLog.SelfSignedCertificateInUse(logger, path, existing.Thumbprint, existing.NotAfter);
                return new LoadedCertificate(existing, ReadStamp());
            }

            existing.Dispose();
        }

        var hostname = smtpOptions.Value.Hostname;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostname}", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        // The hostname, and the loopback names a first trial on the same machine connects to.
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostname);
        if (!string.Equals(hostname, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName("localhost");
        }

        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var generated = request.CreateSelfSigned(Now.AddMinutes(-5), Now.AddYears(2));
        var pfx = generated.Export(X509ContentType.Pkcs12);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var certificate = X509CertificateLoader.LoadPkcs12(pfx, null);
        SecurityLog.SelfSignedCertificateGenerated(logger, hostname, path, certificate.Thumbprint,
            certificate.NotAfter);
        return new LoadedCertificate(certificate, ReadStamp());
    }

    private FileStamp ReadStamp()
    {
        var certificate = string.IsNullOrWhiteSpace(_options.CertificatePath) ? SelfSignedPath : _options.CertificatePath;
        return new FileStamp(Stat(certificate), string.IsNullOrWhiteSpace(_options.KeyPath) ? null : Stat(_options.KeyPath));
    }

    private static (DateTime, long)? Stat(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
    }

    private sealed record FileStamp((DateTime, long)? Certificate, (DateTime, long)? Key);

    private sealed record LoadedCertificate(
        X509Certificate2 Certificate,
        FileStamp Stamp,
        X509Certificate2Collection? Intermediates = null)
    {
        public SslStreamCertificateContext Context { get; } =
            SslStreamCertificateContext.Create(Certificate, Intermediates);
    }
}
