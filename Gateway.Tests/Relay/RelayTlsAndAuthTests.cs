using Gateway.Smtp.Relay;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Relay;

[Collection("postgres")]
public sealed class RelayTlsAndAuthTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Relay_RequiredTlsWithoutValidation_DeliversOverTlsAndRecordsIt()
    {
        await using var downstream = new LibraryDownstream(certificate: TestCertificate.Server);
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Routes["dest.test"] = new RouteOptions
        {
            Smarthost = downstream.Endpoint,
            Tls = TlsMode.Required,
            CertificateValidation = CertificateValidation.None,
        }));
        await relay.WaitForAsync(id, r => r.State == "Delivered");

        var mail = Assert.Single(await downstream.WaitForAsync(1, Wait));
        Assert.StartsWith("Tls", mail.TlsProtocol, StringComparison.Ordinal);
        Assert.Equal(mail.TlsProtocol, Assert.Single(await relay.AttemptsAsync(id)).TlsProtocol);
    }

    [Fact]
    public async Task Relay_RequiredTlsWithFullValidation_UntrustedCertificateDefers()
    {
        await using var downstream = new LibraryDownstream(certificate: TestCertificate.Server);
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = downstream.Endpoint;
            o.Tls = TlsMode.Required;
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Deferred");

        Assert.Empty(downstream.Messages);
        Assert.Contains("certificate", rows[0].ReplyText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Relay_RequiredTlsNotOffered_Defers()
    {
        await using var downstream = new ScriptedDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = downstream.Endpoint;
            o.Tls = TlsMode.Required;
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Deferred");

        Assert.Contains("does not offer STARTTLS", rows[0].ReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain(downstream.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_OpportunisticTls_EncryptsWhenOfferedAndSendsClearWhenNot()
    {
        await using var withTls = new LibraryDownstream(certificate: TestCertificate.Server);
        await using var clear = new ScriptedDownstream();
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var encrypted = await relay.EnqueueAsync("sender@origin.test", ["rcpt@tls.test"]);
        var plain = await relay.EnqueueAsync("sender@origin.test", ["rcpt@clear.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Routes["tls.test"] = new RouteOptions { Smarthost = withTls.Endpoint };
            o.Routes["clear.test"] = new RouteOptions { Smarthost = clear.Endpoint };
        }));
        await relay.WaitForAsync(encrypted, r => r.State == "Delivered");
        await relay.WaitForAsync(plain, r => r.State == "Delivered");

        Assert.NotNull(Assert.Single(await relay.AttemptsAsync(encrypted)).TlsProtocol);
        Assert.Null(Assert.Single(await relay.AttemptsAsync(plain)).TlsProtocol);
    }

    [Fact]
    public async Task Relay_RouteWithCredentials_AuthenticatesAtNextHop()
    {
        await using var downstream = new LibraryDownstream(certificate: TestCertificate.Server,
            credentials: ("relay-user", "s3cret"));
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o => o.Routes["dest.test"] = new RouteOptions
        {
            Smarthost = downstream.Endpoint,
            Tls = TlsMode.Required,
            CertificateValidation = CertificateValidation.None,
            Username = "relay-user",
            Password = "s3cret",
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Delivered");

        Assert.Equal("relay-user", Assert.Single(await downstream.WaitForAsync(1, Wait)).User);
        Assert.Equal(1, rows[0].AttemptCount);
    }

    [Fact]
    public async Task Relay_WrongCredentials_DefersWithTheNextHopsReply()
    {
        await using var downstream = new LibraryDownstream(certificate: TestCertificate.Server,
            credentials: ("relay-user", "s3cret"));
        await using var relay = await RelayHarness.CreateAsync(postgres);
        var id = await relay.EnqueueAsync("sender@origin.test", ["rcpt@dest.test"]);

        await relay.StartWorkerAsync(RelayHarness.FastOptions(o =>
        {
            o.Smarthost = downstream.Endpoint;
            o.Tls = TlsMode.Opportunistic;
            o.Username = "relay-user";
            o.Password = "wrong";
            o.RetryDelays = [TimeSpan.FromMinutes(10)];
        }));
        var rows = await relay.WaitForAsync(id, r => r.State == "Deferred");

        Assert.Equal(535, rows[0].ReplyCode);
        Assert.Empty(downstream.Messages);
    }
}
