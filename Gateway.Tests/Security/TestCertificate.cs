using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Tests.Security;

/// <summary>Makes throwaway certificates and writes them as PEM files, as an operator's tooling would.</summary>
internal static class TestCertificate
{
    /// <summary>Writes a new self-signed certificate (chain file and key file) and returns its thumbprint.</summary>
    public static string WritePem(string certificatePath, string keyPath, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5),
            DateTimeOffset.UtcNow.AddDays(30));

        // Replace by rename, as deployment tools do, so the gateway never reads a half-written file.
        ReplaceFile(keyPath, key.ExportPkcs8PrivateKeyPem());
        ReplaceFile(certificatePath, certificate.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    private static void ReplaceFile(string path, string content)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
