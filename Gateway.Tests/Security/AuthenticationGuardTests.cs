using System.Net;
using Gateway.Core.Logging;
using Gateway.Smtp;
using Gateway.Smtp.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Security;

public sealed class AuthenticationGuardTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.20");

    private readonly ManualClock _clock = new();
    private readonly CapturingLogger<AuthenticationGuard> _log = new();
    private readonly AuthenticationGuard _guard;

    public AuthenticationGuardTests() => _guard = new AuthenticationGuard(Options.Create(new SmtpAuthOptions
    {
        MaxFailuresPerUser = 3,
        MaxFailuresPerAddress = 5,
        FailureWindow = TimeSpan.FromMinutes(10),
        LockoutDuration = TimeSpan.FromMinutes(15),
    }), _clock, _log);

    [Fact]
    public void RecordFailure_UpToTheUserLimit_LocksTheNameFromAnyAddressAndLogsOnce()
    {
        _guard.RecordFailure("alice", Client);
        _guard.RecordFailure("Alice", Other);
        Assert.Null(_guard.LockedUntil("alice", Client));

        _guard.RecordFailure("ALICE", Client);

        Assert.Equal(_clock.GetUtcNow().AddMinutes(15), _guard.LockedUntil("alice", IPAddress.Loopback));
        Assert.Null(_guard.LockedUntil("bob", IPAddress.Loopback));
        var locked = Assert.Single(_log.Entries);
        Assert.Equal((GatewayEventId.AuthLockedOut, LogLevel.Warning), (locked.EventId, locked.Level));
    }

    [Fact]
    public void LockedUntil_AfterTheLockoutDuration_IsLiftedAndCountingStartsAfresh()
    {
        for (var i = 0; i < 3; i++)
        {
            _guard.RecordFailure("alice", Client);
        }

        _clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(_guard.LockedUntil("alice", Client));

        _guard.RecordFailure("alice", Client);
        Assert.Null(_guard.LockedUntil("alice", Client));
    }

    [Fact]
    public void RecordFailure_ManyNamesFromOneAddress_LocksTheAddress()
    {
        for (var i = 0; i < 5; i++)
        {
            _guard.RecordFailure($"user{i}", Client);
        }

        Assert.NotNull(_guard.LockedUntil("someone-new", Client));
        Assert.Null(_guard.LockedUntil("someone-new", Other));
    }

    [Fact]
    public void RecordFailure_SpreadBeyondTheWindow_NeverLocks()
    {
        for (var i = 0; i < 6; i++)
        {
            _guard.RecordFailure("alice", Client);
            _clock.Advance(TimeSpan.FromMinutes(6));
        }

        Assert.Null(_guard.LockedUntil("alice", Client));
    }

    [Fact]
    public void RecordSuccess_AfterFailures_ClearsTheNamesCount()
    {
        _guard.RecordFailure("alice", Client);
        _guard.RecordFailure("alice", Client);
        _guard.RecordSuccess("alice");
        _guard.RecordFailure("alice", Client);

        Assert.Null(_guard.LockedUntil("alice", Client));
    }
}
