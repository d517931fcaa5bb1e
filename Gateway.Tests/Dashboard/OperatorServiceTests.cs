using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Gateway.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Dashboard;

/// <summary>Operator accounts on a real PostgreSQL database: first admin, hashing, lockout.</summary>
public sealed class OperatorServiceTests : IAsyncLifetime
{
    private readonly SettableClock clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private GatewayDbContext db = null!;
    private OperatorService operators = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await SharedPostgres.NewDatabaseAsync();
        db = new GatewayDbContext(new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
        operators = new OperatorService(db, new SmtpPasswordHasher(),
            Options.Create(new OperatorLockoutOptions { LockoutThreshold = 3, LockoutDuration = TimeSpan.FromMinutes(5) }),
            clock);
    }

    // Found by the split-roles test: processes starting together on an empty database raced to create the admin,
    // and the loser's start failed on the unique name.
    [Fact]
    public async Task EnsureFirstAdmin_ManyNodesAtOnce_OneCreatesItAndNoneFails()
    {
        var connectionString = db.Database.GetConnectionString()!;
        var nodes = Enumerable.Range(0, 6).Select(_ =>
        {
            var context = new GatewayDbContext(new DbContextOptionsBuilder<GatewayDbContext>()
                .UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
            return (Context: context, Service: new OperatorService(context, new SmtpPasswordHasher(),
                Options.Create(new OperatorLockoutOptions()), clock));
        }).ToList();

        var results = await Task.WhenAll(nodes.Select(n => Task.Run(() =>
            n.Service.EnsureFirstAdminAsync("a long configured password", CancellationToken.None))));

        Assert.Single(results, r => r.Created);
        Assert.Equal(1, await db.Operators.CountAsync());
        foreach (var node in nodes)
        {
            await node.Context.DisposeAsync();
        }
    }

    [Fact]
    public async Task EnsureFirstAdmin_NoPasswordConfigured_GeneratesOneThatSignsInOnlyOnce()
    {
        var (created, password) = await operators.EnsureFirstAdminAsync(null, CancellationToken.None);
        var again = await operators.EnsureFirstAdminAsync("something else entirely", CancellationToken.None);

        Assert.True(created);
        Assert.NotNull(password);
        Assert.Equal((false, null), again);
        var signIn = await operators.SignInAsync("ADMIN", password, CancellationToken.None);
        Assert.Equal(OperatorSignInStatus.Succeeded, signIn.Status);
        Assert.Equal(OperatorRole.Admin, signIn.Operator!.Role);
        var stored = await db.Operators.AsNoTracking().SingleAsync();
        Assert.DoesNotContain(password, stored.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ThresholdFailures_LockUntilTheDurationPasses()
    {
        await operators.CreateAsync("ops", "the right password", OperatorRole.Viewer, CancellationToken.None);

        var first = await operators.SignInAsync("ops", "wrong one", CancellationToken.None);
        await operators.SignInAsync("ops", "wrong two", CancellationToken.None);
        var third = await operators.SignInAsync("ops", "wrong three", CancellationToken.None);
        var whileLocked = await operators.SignInAsync("ops", "the right password", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(6));
        var afterwards = await operators.SignInAsync("ops", "the right password", CancellationToken.None);

        Assert.Equal(OperatorSignInStatus.Invalid, first.Status);
        Assert.Equal(OperatorSignInStatus.LockedOut, third.Status);
        Assert.Equal(OperatorSignInStatus.LockedOut, whileLocked.Status);
        Assert.Equal(OperatorSignInStatus.Succeeded, afterwards.Status);
    }

    [Fact]
    public async Task SignIn_UnknownOrDisabled_IsInvalidLikeAWrongPassword()
    {
        await operators.CreateAsync("gone", "the right password", OperatorRole.Admin, CancellationToken.None);
        await operators.SetEnabledAsync("gone", false, CancellationToken.None);

        var disabled = await operators.SignInAsync("gone", "the right password", CancellationToken.None);
        var unknown = await operators.SignInAsync("nobody", "the right password", CancellationToken.None);

        Assert.Equal(OperatorSignInStatus.Invalid, disabled.Status);
        Assert.Equal(OperatorSignInStatus.Invalid, unknown.Status);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("")]
    public async Task Create_ShortPassword_IsRefused(string password)
    {
        await Assert.ThrowsAsync<OperatorException>(() =>
            operators.CreateAsync("someone", password, OperatorRole.Viewer, CancellationToken.None));
    }

    public async Task DisposeAsync() => await db.DisposeAsync();
}
