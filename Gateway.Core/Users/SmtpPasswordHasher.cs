using Gateway.Core.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Users;

/// <summary>
/// Hashes SMTP passwords with ASP.NET Core Identity's hasher (v3 format: PBKDF2, HMAC-SHA512, 128-bit random salt,
/// 100,000 iterations by default). It also keeps one hash of a random password, which is what an unknown user's
/// login is checked against, so that "no such user" costs exactly as much time as "wrong password".
/// </summary>
public sealed class SmtpPasswordHasher
{
    /// <summary>The least iteration count accepted; Identity's own default for the v3 format.</summary>
    public const int MinimumIterations = 100_000;

    private readonly PasswordHasher<SmtpUser> _hasher;

    public SmtpPasswordHasher(int iterations = MinimumIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        _hasher = new PasswordHasher<SmtpUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = iterations,
        }));
        DecoyHash = _hasher.HashPassword(null!, Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
    }

    /// <summary>A hash no password given by a client will match; verified against when the user does not exist.</summary>
    public string DecoyHash { get; }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public PasswordCheck Verify(string hash, string password) =>
        _hasher.VerifyHashedPassword(null!, hash, password) switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Match,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.MatchNeedsRehash,
            _ => PasswordCheck.NoMatch,
        };
}
