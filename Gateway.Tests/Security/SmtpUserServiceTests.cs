using System.Diagnostics;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Gateway.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Tests.Security;

[Collection("postgres")]
public sealed class SmtpUserServiceTests(PostgresFixture postgres)
{
    private const string Password = "correct horse battery";
    private static readonly SmtpPasswordHasher Hasher = new();
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Create_NewUser_StoresASaltedPbkdf2HashNeverThePassword()
    {
        await using var db = await NewDbAsync();
        var users = Service(db);

        await users.CreateAsync("Alice", Password, ["Example.com"], new SmtpUserLimits(10, 1000, 50), None);
        await users.CreateAsync("bob", Password, [], SmtpUserLimits.None, None);

        var stored = await db.SmtpUsers.AsNoTracking().OrderBy(u => u.Name).ToListAsync();
        Assert.Equal(["alice", "bob"], stored.Select(u => u.Name));
        var alice = stored[0];
        Assert.DoesNotContain(Password, alice.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(0x01, Convert.FromBase64String(alice.PasswordHash)[0]); // Identity v3 format marker
        Assert.NotEqual(alice.PasswordHash, stored[1].PasswordHash);       // per-user salt
        Assert.Equal(["example.com"], alice.AllowedSenders);
        Assert.Equal((10, 1000, 50), (alice.MessagesPerMinute, alice.MessagesPerDay, alice.MaxRecipientsPerMessage));
        Assert.True(alice.Enabled);
        Assert.Null(alice.LastUsedAt);
    }

    [Theory]
    [InlineData("alice", "short")]
    [InlineData("ALICE", Password)]
    [InlineData("al ice", Password)]
    [InlineData("", Password)]
    public async Task Create_BadNameShortPasswordOrDuplicate_Throws(string name, string password)
    {
        await using var db = await NewDbAsync();
        var users = Service(db);
        await users.CreateAsync("alice", Password, [], SmtpUserLimits.None, None);

        await Assert.ThrowsAsync<SmtpUserException>(
            () => users.CreateAsync(name, password, [], SmtpUserLimits.None, None));
    }

    [Fact]
    public async Task Update_LimitsSendersPasswordAndEnabled_AreStored()
    {
        await using var db = await NewDbAsync();
        var users = Service(db);
        await users.CreateAsync("alice", Password, ["example.com"], SmtpUserLimits.None, None);

        Assert.True(await users.UpdateLimitsAsync("alice", new SmtpUserLimits(1, 2, 3), None));
        Assert.True(await users.SetAllowedSendersAsync("alice", ["a@example.org", "*"], None));
        Assert.True(await users.SetPasswordAsync("alice", "another long password", None));
        Assert.True(await users.SetEnabledAsync("alice", false, None));
        Assert.False(await users.SetEnabledAsync("nobody", false, None));

        var alice = (await users.FindAsync("ALICE", None))!;
        Assert.Equal((1, 2, 3), (alice.MessagesPerMinute, alice.MessagesPerDay, alice.MaxRecipientsPerMessage));
        Assert.Equal(["a@example.org", "*"], alice.AllowedSenders);
        Assert.False(alice.Enabled);
        Assert.Null(await users.VerifyCredentialsAsync("alice", "another long password", None));
        await users.SetEnabledAsync("alice", true, None);
        Assert.NotNull(await users.VerifyCredentialsAsync("alice", "another long password", None));
        Assert.Null(await users.VerifyCredentialsAsync("alice", Password, None));
    }

    [Fact]
    public async Task VerifyCredentials_UnknownUser_CostsAsMuchAsAWrongPassword()
    {
        await using var db = await NewDbAsync();
        var users = Service(db);
        await users.CreateAsync("alice", Password, [], SmtpUserLimits.None, None);
        await users.VerifyCredentialsAsync("warm-up", Password, None);

        var wrongPassword = await MedianAsync(() => users.VerifyCredentialsAsync("alice", "wrong password", None));
        var unknownUser = await MedianAsync(() => users.VerifyCredentialsAsync("nobody", "wrong password", None));

        // Both run one full PBKDF2 verification (100,000 iterations, tens of ms); without the decoy hash the
        // unknown user would answer after a single indexed query, well under a tenth of that. The bound is loose
        // because the two medians are taken a moment apart on a shared machine.
        Assert.True(unknownUser > wrongPassword * 0.3, $"unknown {unknownUser} ms, wrong password {wrongPassword} ms");
    }

    private static async Task<double> MedianAsync(Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    private async Task<GatewayDbContext> NewDbAsync()
    {
        var connectionString = await postgres.NewDatabaseAsync();
        var db = new GatewayDbContext(new DbContextOptionsBuilder<GatewayDbContext>()
            .UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
        return db;
    }

    private static SmtpUserService Service(GatewayDbContext db) => new(db, Hasher, TimeProvider.System);
}
