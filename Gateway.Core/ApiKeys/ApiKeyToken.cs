using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.ApiKeys;

/// <summary>
/// The secret a client sends as <c>Authorization: Bearer</c>: <c>gwk_</c>, 8 characters that name the key (the
/// prefix shown in listings), <c>_</c>, then 32 random bytes in base64url. The secret part carries 256 bits, so a
/// single SHA-256 is a sufficient hash: there is nothing to brute-force that a slow hash would protect.
/// </summary>
public static class ApiKeyToken
{
    public const int PrefixLength = 12;

    private const string Lead = "gwk_";

    public static string Generate()
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return $"{Lead}{name}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
    }

    /// <summary>The part of a token that may be shown and looked up; null when the token is too short to be one.</summary>
    public static string? PrefixOf(string token) => token.Length >= 40 ? token[..PrefixLength] : null;

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
