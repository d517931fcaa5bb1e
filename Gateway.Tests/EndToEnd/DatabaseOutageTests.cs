using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>With the database down a client hears 451 4.3.0, never 250; once it is back, mail flows again.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        // A server of its own, since this test stops it.
        _postgres = await PostgresServer.StartAsync();
        _gateway = GatewayHost.Start(await _postgres.CreateDatabaseAsync("outage"));
    }

    [Fact]
    public async Task Data_WhileDatabaseDown_Replies451ThenRecoversWithoutRestart()
    {
        Assert.StartsWith("250 2.0.0 Ok: queued as", await SendAsync("before@example.net"), StringComparison.Ordinal);

        await _postgres.StopAsync();
        Assert.StartsWith("451 4.3.0", await SendAsync("during@example.net"), StringComparison.Ordinal);

        await _postgres.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string reply;
        do
        {
            reply = await SendAsync("after@example.net");
        }
        while (!reply.StartsWith("250", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.StartsWith("250 2.0.0 Ok: queued as", reply, StringComparison.Ordinal);
    }

    private async Task<string> SendAsync(string recipient)
    {
        await using var smtp = await RawSmtpConnection.ConnectAsync(_gateway.SmtpPort);
        await smtp.ReadReplyAsync();
        await smtp.CommandAsync("EHLO client.test");
        await smtp.CommandAsync("MAIL FROM:<a@example.com>");
        await smtp.CommandAsync($"RCPT TO:<{recipient}>");
        await smtp.CommandAsync("DATA");
        await smtp.SendAsync("Subject: outage\r\n\r\nbody\r\n.\r\n");
        return await smtp.ReadReplyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
