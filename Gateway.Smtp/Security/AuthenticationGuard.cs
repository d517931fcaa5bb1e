using System.Net;
using Gateway.Smtp.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Security;

/// <summary>
/// Counts failed SMTP logins per user name and per client address, and locks either for a while when it fails too
/// often. Names are tracked whether or not such a user exists, so a lockout tells nothing about which names are
/// real. The counts live in this process: each gateway node keeps its own (see docs/security.md).
/// </summary>
public sealed class AuthenticationGuard(
    IOptions<SmtpAuthOptions> options,
    TimeProvider time,
    ILogger<AuthenticationGuard> logger)
{
    // Above this many tracked names or addresses, entries whose window has passed are swept out.
    private const int SweepThreshold = 10_000;

    private readonly SmtpAuthOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FailureRecord> _records = new(StringComparer.Ordinal);

    /// <summary>The time until which logins for this name or from this address are refused, if either is locked.</summary>
    public DateTimeOffset? LockedUntil(string user, IPAddress client)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var userLock = Locked(UserKey(user), now);
            var addressLock = Locked(AddressKey(client), now);
            return userLock > addressLock ? userLock : addressLock ?? userLock;
        }
    }

    public void RecordFailure(string user, IPAddress client)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_records.Count > SweepThreshold)
            {
                Sweep(now);
            }

            Count(UserKey(user), _options.MaxFailuresPerUser, now, client);
            Count(AddressKey(client), _options.MaxFailuresPerAddress, now, client);
        }
    }

    /// <summary>A successful login clears the name's failures; the address keeps its count until the window ends.</summary>
    public void RecordSuccess(string user)
    {
        lock (_lock)
        {
            _records.Remove(UserKey(user));
        }
    }

    private DateTimeOffset? Locked(string key, DateTimeOffset now) =>
        _records.TryGetValue(key, out var record) && record.LockedUntil > now ? record.LockedUntil : null;

    private void Count(string key, int maxFailures, DateTimeOffset now, IPAddress client)
    {
        if (!_records.TryGetValue(key, out var record))
        {
            record = new FailureRecord { WindowStart = now };
            _records[key] = record;
        }
        else if (now - record.WindowStart > _options.FailureWindow)
        {
            record.WindowStart = now;
            record.Failures = 0;
        }

        record.Failures++;
        if (record.Failures < maxFailures)
        {
            return;
        }

        record.LockedUntil = now + _options.LockoutDuration;
        SecurityLog.AuthLockedOut(logger, key, record.LockedUntil.Value, record.Failures, client);
        record.Failures = 0;
        record.WindowStart = now;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, record) in _records.ToList())
        {
            if (now - record.WindowStart > _options.FailureWindow && !(record.LockedUntil > now))
            {
                _records.Remove(key);
            }
        }
    }

    private static string UserKey(string user) => "user " + user.Trim().ToLowerInvariant();

    private static string AddressKey(IPAddress client) => "address " + client;

    private sealed class FailureRecord
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
