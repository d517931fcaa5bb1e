using System.Security.Cryptography;
using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Core.Operators;

/// <summary>
/// Dashboard accounts: the first admin, sign-in with lockout, and the admin's management of other operators.
/// Passwords are hashed with the same PBKDF2 hasher as SMTP users, and an unknown name is checked against its
/// decoy hash so that the reply's timing does not reveal which names exist.
/// </summary>
public sealed class OperatorService(
    GatewayDbContext db,
    SmtpPasswordHasher hasher,
    IOptions<OperatorLockoutOptions> lockout,
    TimeProvider time)
{
    public const int MinimumPasswordLength = 12;

    public const string FirstAdminName = "admin";

    /// <summary>
    /// Creates the first admin when there is no operator yet. Returns the password it set when it generated one,
    /// so the caller can tell the person starting the gateway; null when operators exist or the password was given.
    /// </summary>
    public async Task<(bool Created, string? GeneratedPassword)> EnsureFirstAdminAsync(
        string? configuredPassword,
        CancellationToken cancellationToken)
    {
        if (await db.Operators.AnyAsync(cancellationToken))
        {
            return (false, null);
        }

        var generated = string.IsNullOrEmpty(configuredPassword)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-')
            : null;
        try
        {
            await CreateAsync(FirstAdminName, generated ?? configuredPassword!, OperatorRole.Admin, cancellationToken);
        }
        catch (OperatorException ex) when (ex.InnerException is DbUpdateException
                                           {
                                               InnerException: PostgresException
                                               {
                                                   SqlState: PostgresErrorCodes.UniqueViolation,
                                               },
                                           })
        {
            // Several nodes started on an empty database at once, and another one created the first admin first.
            return (false, null);
        }

        return (true, generated);
    }

    public async Task<Operator> CreateAsync(string name, string password, OperatorRole role,
        CancellationToken cancellationToken)
    {
        var account = new Operator
        {
            Id = Guid.CreateVersion7(),
            Name = NormaliseName(name),
            PasswordHash = hasher.Hash(CheckPassword(password)),
            Role = role,
            CreatedAt = time.GetUtcNow(),
        };
        db.Operators.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException
                                           { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(account).State = EntityState.Detached;
            throw new OperatorException($"An operator named '{account.Name}' already exists.", ex);
        }

        return account;
    }

    /// <summary>
    /// A short digest of what a dashboard session was granted on: the password hash and the role. A session carries
    /// it from sign-in; once the password is reset or the role changed, the stamp no longer matches.
    /// </summary>
    public static string SessionStamp(Operator account) => Convert.ToBase64String(
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{account.PasswordHash}|{account.Role}"))[..12]);

    /// <summary>Whether a session signed in with <paramref name="stamp"/> still stands: enabled, same password and role.</summary>
    public async Task<bool> IsSessionValidAsync(string name, string stamp, CancellationToken cancellationToken)
    {
        var account = await db.Operators.AsNoTracking()
            .FirstOrDefaultAsync(o => o.Name == name, cancellationToken);
        return account is { Enabled: true } && SessionStamp(account) == stamp;
    }

    public async Task<IReadOnlyList<Operator>> ListAsync(CancellationToken cancellationToken) =>
        await db.Operators.AsNoTracking().OrderBy(o => o.Name).ToListAsync(cancellationToken);

    /// <summary>
    /// Checks a sign-in. A locked account answers LockedOut without looking at the password; a wrong password
    /// counts towards the lock, and the threshold-th failure in a row sets it. Success clears the count.
    /// </summary>
    public async Task<OperatorSignIn> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        var normalised = name.Trim().ToLowerInvariant();
        var account = await db.Operators.FirstOrDefaultAsync(o => o.Name == normalised, cancellationToken);
        var now = time.GetUtcNow();
        if (account?.LockedUntil is { } until && until > now)
        {
            return OperatorSignIn.LockedOut;
        }

        var check = hasher.Verify(account?.PasswordHash ?? hasher.DecoyHash, password);
        if (account is null || !account.Enabled)
        {
            return OperatorSignIn.Invalid;
        }

        if (check == PasswordCheck.NoMatch)
        {
            account.FailedSignIns++;
            var locked = account.FailedSignIns >= lockout.Value.LockoutThreshold;
            if (locked)
            {
                account.LockedUntil = now + lockout.Value.LockoutDuration;
                account.FailedSignIns = 0;
            }

            await db.SaveChangesAsync(cancellationToken);
            return locked ? OperatorSignIn.LockedOut : OperatorSignIn.Invalid;
        }

        if (check == PasswordCheck.MatchNeedsRehash)
        {
            account.PasswordHash = hasher.Hash(password);
        }

        account.FailedSignIns = 0;
        account.LockedUntil = null;
        account.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new OperatorSignIn(OperatorSignInStatus.Succeeded, account);
    }

    public Task<bool> SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var hash = hasher.Hash(CheckPassword(password));
        return UpdateAsync(name, o =>
        {
            o.PasswordHash = hash;
            o.FailedSignIns = 0;
            o.LockedUntil = null;
        }, cancellationToken);
    }

    public Task<bool> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        UpdateAsync(name, o => o.Enabled = enabled, cancellationToken);

    private async Task<bool> UpdateAsync(string name, Action<Operator> change, CancellationToken cancellationToken)
    {
        var normalised = name.Trim().ToLowerInvariant();
        var account = await db.Operators.FirstOrDefaultAsync(o => o.Name == normalised, cancellationToken);
        if (account is null)
        {
            return false;
        }

        change(account);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static string NormaliseName(string name)
    {
        var normalised = name.Trim().ToLowerInvariant();
        if (normalised.Length is 0 or > 255 ||
            !normalised.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            throw new OperatorException(
                $"'{name}' is not a valid operator name: use 1 to 255 letters, digits and . - _ @");
        }

        return normalised;
    }

    private static string CheckPassword(string password)
    {
        if (password.Length < MinimumPasswordLength || password.Length > 1024)
        {
            throw new OperatorException(
                $"The password must have between {MinimumPasswordLength} and 1024 characters.");
        }

        return password;
    }
}
