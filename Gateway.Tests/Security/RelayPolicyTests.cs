using Gateway.Core.Users;
using Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Tests.Security;

/// <summary>
/// Who may relay: authenticated users (within their allowed senders and limits) and trusted networks. The trusted
/// list is empty here, so the loopback client stands for any host on the network.
/// </summary>
[Collection("postgres")]
public sealed class RelayPolicyTests(PostgresFixture postgres)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Mail_UntrustedClientWithoutAuthOnSubmissionPort_Replies530()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.ImplicitTlsPort, true);
        await connection.CommandAsync("EHLO client.test");

        var mail = await connection.CommandAsync("MAIL FROM:<app@example.com>");
        var rcpt = await connection.CommandAsync("RCPT TO:<someone@elsewhere.test>");

        Assert.Equal("530 5.7.0 Authentication required\n", mail);
        Assert.StartsWith("503 5.5.1", rcpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_UntrustedClientOnPlainPort_Replies554AndNothingIsStored()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await using var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.PlainPort);

        var ehlo = await connection.CommandAsync("EHLO client.test");
        var mail = await connection.CommandAsync("MAIL FROM:<app@example.com>");
        var rcpt = await connection.CommandAsync("RCPT TO:<someone@elsewhere.test>");
        var data = await connection.CommandAsync("DATA");

        Assert.DoesNotContain("AUTH", ehlo, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", ehlo, StringComparison.Ordinal);
        Assert.StartsWith("250", mail, StringComparison.Ordinal);
        Assert.Equal("554 5.7.1 Relay access denied\n", rcpt);
        Assert.StartsWith("503", data, StringComparison.Ordinal);
        Assert.Equal(0, await gateway.QueryAsync(db => db.Messages.CountAsync()));
    }

    [Fact]
    public async Task Rcpt_ClientInTrustedNetwork_RelaysWithoutAuth()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres,
            new Dictionary<string, string?> { ["Gateway:Smtp:TrustedNetworks:0"] = "127.0.0.0/8" });

        using var client = await gateway.ConnectAsync(gateway.PlainPort, SecureSocketOptions.None);
        await client.SendAsync(SecureGateway.NewMessage("anyone@anywhere.test", "someone@elsewhere.test"));
        await client.DisconnectAsync(true);

        var stored = await gateway.SingleMessageAsync();
        Assert.Null(stored.AuthenticatedUser);
        Assert.Null(stored.TlsProtocol);
        Assert.Contains("with ESMTP id", stored.TraceHeaders.Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_OnPlainListenerThatAllowsIt_IsOfferedAndStampedEsmtpa()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres,
            new Dictionary<string, string?> { ["Gateway:Smtp:Listeners:0:AllowAuthWithoutTls"] = "true" });
        await gateway.AddUserAsync("dev", Password, ["*"]);

        using var client = await gateway.ConnectAsync(gateway.PlainPort, SecureSocketOptions.None);
        await client.AuthenticateAsync("dev", Password);
        await client.SendAsync(SecureGateway.NewMessage("dev@anywhere.test", "someone@elsewhere.test"));
        await client.DisconnectAsync(true);

        var stored = await gateway.SingleMessageAsync();
        Assert.Equal("dev", stored.AuthenticatedUser);
        Assert.Contains("with ESMTPA id", stored.TraceHeaders.Single().Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app@example.com", true)]
    [InlineData("APP@Example.COM", true)]
    [InlineData("anyone@example.org", true)]
    [InlineData("other@example.com", false)]
    [InlineData("anyone@sub.example.org", false)]
    [InlineData("", false)]
    public async Task Mail_AuthenticatedUser_OnlyItsAllowedSenders(string sender, bool allowed)
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password, ["app@example.com", "@example.org"]);
        await using var connection = await Authenticated(gateway, "app");

        var reply = await connection.CommandAsync($"MAIL FROM:<{sender}>");

        Assert.Equal(allowed ? "250 2.1.0 Sender ok\n"
            : $"553 5.7.1 Sender address <{sender}> is not allowed for user app\n", reply);
    }

    [Fact]
    public async Task Mail_RateLimitReached_Replies450WithRetryTimeAndRecovers()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password, ["example.com"], new SmtpUserLimits(2, 100, null));
        using (var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect))
        {
            await client.AuthenticateAsync("app", Password);
            await client.SendAsync(SecureGateway.NewMessage("app@example.com", "a@elsewhere.test"));
            await client.SendAsync(SecureGateway.NewMessage("app@example.com", "b@elsewhere.test"));
            var error = await Assert.ThrowsAsync<SmtpCommandException>(
                () => client.SendAsync(SecureGateway.NewMessage("app@example.com", "c@elsewhere.test")));
            Assert.Equal(450, (int)error.StatusCode);
            Assert.Matches(@"^4\.7\.1 Rate limit reached for user app \(2 messages per minute\); try again after " +
                           @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(in \d+ s\)$", error.Message);
        }

        // A minute later (moved back in the store rather than waited for) the user may send again.
        await gateway.QueryAsync(db => db.Messages.ExecuteUpdateAsync(
            s => s.SetProperty(m => m.ReceivedAt, m => m.ReceivedAt - TimeSpan.FromSeconds(61))));
        await using var connection = await Authenticated(gateway, "app");
        Assert.Equal("250 2.1.0 Sender ok\n", await connection.CommandAsync("MAIL FROM:<app@example.com>"));
    }

    [Fact]
    public async Task Mail_DailyLimitReached_Replies450UntilTheOldestLeavesTheDay()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password, ["example.com"], new SmtpUserLimits(null, 1, null));
        using (var client = await gateway.ConnectAsync(gateway.ImplicitTlsPort, SecureSocketOptions.SslOnConnect))
        {
            await client.AuthenticateAsync("app", Password);
            await client.SendAsync(SecureGateway.NewMessage("app@example.com", "a@elsewhere.test"));
        }

        await using var connection = await Authenticated(gateway, "app");
        var refused = await connection.CommandAsync("MAIL FROM:<app@example.com>");
        Assert.StartsWith("450 4.7.1 Rate limit reached for user app (1 messages per day)", refused,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rcpt_MoreThanTheUsersRecipientLimit_Replies452()
    {
        await using var gateway = await SecureGateway.StartAsync(postgres);
        await gateway.AddUserAsync("app", Password, ["example.com"], new SmtpUserLimits(null, null, 2));
        await using var connection = await Authenticated(gateway, "app");
        await connection.CommandAsync("MAIL FROM:<app@example.com>");

        Assert.StartsWith("250", await connection.CommandAsync("RCPT TO:<a@elsewhere.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await connection.CommandAsync("RCPT TO:<b@elsewhere.test>"), StringComparison.Ordinal);
        Assert.Equal("452 4.5.3 Too many recipients: user app may give at most 2 per message\n",
            await connection.CommandAsync("RCPT TO:<c@elsewhere.test>"));
    }

    private static async Task<RawSmtpConnection> Authenticated(SecureGateway gateway, string user)
    {
        var connection = await RawSmtpConnection.ConnectAsync(gateway, gateway.ImplicitTlsPort, implicitTls: true);
        await connection.CommandAsync("EHLO client.test");
        var auth = await connection.CommandAsync("AUTH PLAIN " + RawSmtpConnection.Base64($"\0{user}\0{Password}"));
        Assert.StartsWith("235", auth, StringComparison.Ordinal);
        return connection;
    }
}
