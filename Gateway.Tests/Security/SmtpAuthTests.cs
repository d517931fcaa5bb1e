using System.Diagnostics;
using System.Net;
using Gateway.Core.Users;
using Gateway.Tests.Infrastructure;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Tests.Security;

/// <summary>AUTH PLAIN and LOGIN (RFC 4954) over real TLS, with MailKit as the client.</summary>
[Collection("postgres")]
public sealed class SmtpAuthTests(PostgresFixture postgres)
{
    private const string Password = "correct horse battery";

    public static TheoryData<string, SecureSocketOptions, string> TlsAndMechanism => new()
    {
        { "starttls", SecureSocketOptions.StartTls, "PLAIN" },
        { "starttls", SecureSocketOptions.StartTls, "LOGIN" },
        { "implicit", SecureSocketOptions.SslOnConnect, "PLAIN" },
        { "implicit", SecureSocketOptions.SslOnConnect, "LOGIN" },
    };

    [Theory]
    [MemberData(nameof(TlsAndMechanism))]
    public async Task Auth_OverTls_AuthenticatesAndRelays(string listener, SecureSocketOptions security,
        string mechanism)
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password, ["example.com"]);
        var port = listener == "starttls" ? gateway.StartTlsPort : gateway.ImplicitTlsPort;

        using var client = await gateway.ConnectAsync(port, security);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        await client.AuthenticateAsync(Mechanism(mechanism, "app", Password));
        await client.SendAsync(SecureGateway.NewMessage("app@example.com", "someone@elsewhere.test"));
        await client.DisconnectAsync(true);

        var stored = await gateway.SingleMessageAsync();
        Assert.Equal("app", stored.AuthenticatedUser);
        Assert.StartsWith("TLSv1.", stored.TlsProtocol, StringComparison.Ordinal);
        Assert.StartsWith("TLS_", stored.TlsCipher, StringComparison.Ordinal);
        var received = stored.TraceHeaders.OrderBy(t => t.Position).First().Value;
        Assert.Contains("with ESMTPSA", received, StringComparison.Ordinal);
        Assert.Contains($"{stored.TlsProtocol} cipher {stored.TlsCipher}", received, StringComparison.Ordinal);

        // Accepted for relay: queued for the recipient outside our (non-existent) local domains.
        var recipient = await gateway.QueryAsync(db => db.Recipients.SingleAsync());
        Assert.Equal("someone@elsewhere.test", recipient.Address);
    }

    [Fact]
    public async Task Auth_WrongPassword_Replies535AfterTheDelay()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres,
            new Dictionary<string, string?> { ["Gateway:Smtp:Auth:FailureDelay"] = "00:00:00.400" });
        await gateway.AddUserAsync("app", Password);
        using var client = await gateway.ConnectAsync(gateway.StartTlsPort, SecureSocketOptions.StartTls);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AuthenticationException>(
            () => client.AuthenticateAsync(Mechanism("PLAIN", "app", "wrong password!")));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"answered after {clock.Elapsed}");
        Assert.Contains("5.7.8", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsAuthenticated);
    }

    [Fact]
    public async Task Auth_UnknownUser_RepliesExactlyAsForAWrongPassword()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.ImplicitTlsPort, implicitTls: true);
        await connection.CommandAsync("EHLO client.test");

        var wrongPassword = await connection.CommandAsync(
            "AUTH PLAIN " + RawSmtpConnection.Base64("\0app\0not the password"));
        var unknownUser = await connection.CommandAsync(
            "AUTH PLAIN " + RawSmtpConnection.Base64("\0nobody\0not the password"));

        Assert.Equal("535 5.7.8 Authentication credentials invalid\n", wrongPassword);
        Assert.Equal(wrongPassword, unknownUser);
    }

    [Fact]
    public async Task Auth_RepeatedFailures_Lock454UntilTheLockoutExpires()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Gateway:Smtp:Auth:MaxFailuresPerUser"] = "3",
            ["Gateway:Smtp:Auth:LockoutDuration"] = "00:00:03",
            ["Gateway:Smtp:Auth:FailureDelay"] = "00:00:00.010",
        });
        await gateway.AddUserAsync("app", Password);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.ImplicitTlsPort, implicitTls: true);
        await connection.CommandAsync("EHLO client.test");
        var good = "AUTH PLAIN " + RawSmtpConnection.Base64("\0app\0" + Password);
        var bad = "AUTH PLAIN " + RawSmtpConnection.Base64("\0app\0guess");

        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith("535 5.7.8", await connection.CommandAsync(bad), StringComparison.Ordinal);
        }

        var lockedAt = DateTime.UtcNow;
        var locked = await connection.CommandAsync(good);
        Assert.StartsWith("454 4.7.0 Temporary authentication failure", locked, StringComparison.Ordinal);

        // The lock lifts by itself: the right password works again once the lockout duration has passed.
        string reply;
        do
        {
            await Task.Delay(200);
            reply = await connection.CommandAsync(good);
        }
        while (reply.StartsWith("454", StringComparison.Ordinal) && DateTime.UtcNow - lockedAt < TimeSpan.FromSeconds(20));

        Assert.StartsWith("235 2.7.0", reply, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - lockedAt >= TimeSpan.FromSeconds(2.5), "the lock lifted too early");
    }

    [Fact]
    public async Task Auth_SaslExchangesByHand_FollowRfc4954()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.ImplicitTlsPort, implicitTls: true);
        await connection.CommandAsync("EHLO client.test");

        // "*" cancels an exchange (RFC 4954 §4).
        Assert.Equal("334 VXNlcm5hbWU6\n", await connection.CommandAsync("AUTH LOGIN"));
        Assert.StartsWith("501 5.0.0", await connection.CommandAsync("*"), StringComparison.Ordinal);

        // A response that is not base64 ends the exchange with 501.
        Assert.Equal("334 \n", await connection.CommandAsync("AUTH PLAIN"));
        Assert.StartsWith("501 5.5.2", await connection.CommandAsync("not base64!"), StringComparison.Ordinal);

        // An authorization identity other than the user's own fails like a bad password.
        Assert.StartsWith("535 5.7.8", await connection.CommandAsync(
            "AUTH PLAIN " + RawSmtpConnection.Base64("admin\0app\0" + Password)), StringComparison.Ordinal);

        // Unknown mechanisms get 504.
        Assert.StartsWith("504 5.5.4", await connection.CommandAsync("AUTH CRAM-MD5"), StringComparison.Ordinal);

        // LOGIN with the user name as initial response, then the password; authzid equal to the user is fine too.
        Assert.Equal("334 UGFzc3dvcmQ6\n", await connection.CommandAsync(
            "AUTH LOGIN " + RawSmtpConnection.Base64("APP")));
        Assert.Equal("235 2.7.0 Authentication successful\n",
            await connection.CommandAsync(RawSmtpConnection.Base64(Password)));
        Assert.StartsWith("503 5.5.1", await connection.CommandAsync("AUTH PLAIN ="), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_DisabledUser_FailsAndLastUseIsOnlySetOnSuccess()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password);
        await gateway.AddUserAsync("old", Password);
        await gateway.QueryAsync(db => db.SmtpUsers.Where(u => u.Name == "old")
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Enabled, false)));

        using var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect);
        await Assert.ThrowsAsync<AuthenticationException>(
            () => client.AuthenticateAsync(new NetworkCredential("old", Password)));
        await client.AuthenticateAsync(new NetworkCredential("app", Password));

        var users = await gateway.QueryAsync(db => db.SmtpUsers.OrderBy(u => u.Name).ToListAsync());
        Assert.NotNull(users.Single(u => u.Name == "app").LastUsedAt);
        Assert.Null(users.Single(u => u.Name == "old").LastUsedAt);
    }

    private static SaslMechanism Mechanism(string name, string user, string password)
    {
        var credentials = new NetworkCredential(user, password);
        return name == "PLAIN" ? new SaslMechanismPlain(credentials) : new SaslMechanismLogin(credentials);
    }
}
