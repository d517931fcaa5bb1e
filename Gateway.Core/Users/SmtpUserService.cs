using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Core.Users;

/// <summary>
/// Manages SMTP users (create, list, change limits, senders and password, disable) and answers the SMTP listener's
/// questions: are these credentials right, and may this user send another message now. The CLI, the REST API and
/// the dashboard all go through this service.
/// </summary>
public sealed class SmtpUserService(GatewayDbContext db, SmtpPasswordHasher hasher, TimeProvider time)
{
    public const int MinimumPasswordLength = 12;

    public async Task<SmtpUser> CreateAsync(string name, string password, IEnumerable<string> allowedSenders,
        SmtpUserLimits limits, CancellationToken cancellationToken)
    {
        var user = new SmtpUser
        {
            Id = Guid.CreateVersion7(),
            Name = NormaliseName(name),
            PasswordHash = hasher.Hash(CheckPassword(password)),
            AllowedSenders = allowedSenders.Select(SenderAllowList.Normalise).Distinct().ToList(),
            CreatedAt = time.GetUtcNow(),
        };
        Apply(user, CheckLimits(limits));
        db.SmtpUsers.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException
                                           { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(user).State = EntityState.Detached;
            throw new SmtpUserException($"A user named '{user.Name}' already exists.", ex);
        }

        return user;
    }

    public async Task<IReadOnlyList<SmtpUser>> ListAsync(CancellationToken cancellationToken) =>
        await db.SmtpUsers.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken);

    public Task<SmtpUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var normalised = name.Trim().ToLowerInvariant();
        return db.SmtpUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Name == normalised, cancellationToken);
    }

    /// <summary>Replaces the user's limits; false when there is no such user.</summary>
    public Task<bool> UpdateLimitsAsync(string name, SmtpUserLimits limits, CancellationToken cancellationToken)
    {
        CheckLimits(limits);
        return UpdateAsync(name, u => Apply(u, limits), cancellationToken);
    }

    /// <summary>Replaces the user's allowed senders; false when there is no such user.</summary>
    public Task<bool> SetAllowedSendersAsync(string name, IEnumerable<string> allowedSenders,
        CancellationToken cancellationToken)
    {
        var senders = allowedSenders.Select(SenderAllowList.Normalise).Distinct().ToList();
        return UpdateAsync(name, u => u.AllowedSenders = senders, cancellationToken);
    }

    public Task<bool> SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var hash = hasher.Hash(CheckPassword(password));
        return UpdateAsync(name, u => u.PasswordHash = hash, cancellationToken);
    }

    /// <summary>Enables or disables the user; a disabled user's logins fail like a wrong password.</summary>
    public Task<bool> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        UpdateAsync(name, u => u.Enabled = enabled, cancellationToken);

    /// <summary>
    /// Checks a login. Returns the user when the name exists, is enabled and the password matches; null otherwise.
    /// Every failing path costs one full hash verification, so the answer's timing does not tell an unknown or
    /// disabled user from a wrong password.
    /// </summary>
    public async Task<SmtpUser?> VerifyCredentialsAsync(string name, string password,
        CancellationToken cancellationToken)
    {
        var user = await FindAsync(name, cancellationToken);
        var check = hasher.Verify(user?.PasswordHash ?? hasher.DecoyHash, password);
        if (user is null || !user.Enabled || check == PasswordCheck.NoMatch)
        {
            return null;
        }

        var now = time.GetUtcNow();
        user.LastUsedAt = now;
        if (check == PasswordCheck.MatchNeedsRehash)
        {
            var rehashed = hasher.Hash(password);
            await db.SmtpUsers.Where(u => u.Id == user.Id).ExecuteUpdateAsync(
                s => s.SetProperty(u => u.LastUsedAt, now).SetProperty(u => u.PasswordHash, rehashed),
                cancellationToken);
            return user;
        }

        await db.SmtpUsers.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastUsedAt, now), cancellationToken);
        return user;
    }

    /// <summary>Whether the user may submit another message now under its per-minute and per-day limits.</summary>
    public Task<SendingRateVerdict> CheckSendingRateAsync(SmtpUser user, CancellationToken cancellationToken) =>
        SendingRate.CheckAsync(db, user.Name, user.MessagesPerMinute, user.MessagesPerDay, time.GetUtcNow(),
            cancellationToken);

    private async Task<bool> UpdateAsync(string name, Action<SmtpUser> change, CancellationToken cancellationToken)
    {
        var normalised = name.Trim().ToLowerInvariant();
        var user = await db.SmtpUsers.FirstOrDefaultAsync(u => u.Name == normalised, cancellationToken);
        if (user is null)
        {
            return false;
        }

        change(user);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static void Apply(SmtpUser user, SmtpUserLimits limits)
    {
        user.MessagesPerMinute = limits.MessagesPerMinute;
        user.MessagesPerDay = limits.MessagesPerDay;
        user.MaxRecipientsPerMessage = limits.MaxRecipientsPerMessage;
    }

    private static string NormaliseName(string name)
    {
        var normalised = name.Trim().ToLowerInvariant();
        if (normalised.Length is 0 or > 255 ||
            !normalised.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+'))
        {
            throw new SmtpUserException(
                $"'{name}' is not a valid user name: use 1 to 255 letters, digits and . - _ @ +");
        }

        return normalised;
    }

    private static string CheckPassword(string password)
    {
        if (password.Length < MinimumPasswordLength || password.Length > 1024)
        {
            throw new SmtpUserException(
                $"The password must have between {MinimumPasswordLength} and 1024 characters.");
        }

        return password;
    }

    private static SmtpUserLimits CheckLimits(SmtpUserLimits limits)
    {
        if (limits.MessagesPerMinute is < 1 || limits.MessagesPerDay is < 1 || limits.MaxRecipientsPerMessage is < 1)
        {
            throw new SmtpUserException("A limit must be a positive number (or absent for no limit).");
        }

        return limits;
    }
}
