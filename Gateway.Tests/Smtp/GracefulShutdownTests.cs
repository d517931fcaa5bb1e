using System.Globalization;
using Gateway.Core.Hosting;
using Gateway.Tests.Hosting;
using Gateway.Tests.Smtp.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Tests.Smtp;

/// <summary>Shutdown of the whole gateway with its real store: what was acknowledged is on disk.</summary>
public sealed class GracefulShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Shutdown_MessageFinishedInGracePeriod_IsAcknowledgedAndCommitted()
    {
        var directory = Directory.CreateTempSubdirectory("gw-shutdown-");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory.FullName, (UnixFileMode)0b111_101_101);
        }

        using var postgres = EmbeddedPostgres.Start(directory.FullName, NullLogger.Instance);
        var gateway = GatewayHost.Start(postgres.ConnectionString, new Dictionary<string, string?>
        {
            ["Gateway:Smtp:ShutdownGracePeriod"] = "00:00:10",
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
        for (var i = 0; i < 3; i++)
        {
            await client.ReadReplyAsync();
        }

        await client.SendAsync("DATA\r\n");
        await client.ReadReplyAsync();
        await client.SendAsync("Subject: during shutdown\r\n");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopping = Task.Run(async () => await gateway.DisposeAsync());
        await Task.Delay(300);
        await client.SendAsync("\r\nbody\r\n.\r\n");
        var queued = await client.ReadReplyAsync();
        var bye = await client.ReadReplyAsync();
        output.WriteLine($"replies after {clock.Elapsed}");
        await stopping;
        output.WriteLine($"stopped after {clock.Elapsed}");

        Assert.Equal((250, "2.0.0"), (queued.Code, queued.EnhancedCode));
        Assert.Equal((421, "4.3.2"), (bye.Code, bye.EnhancedCode));
        var id = Guid.ParseExact(queued.Lines[0].Split(' ')[^1], "N");
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT data FROM message_contents WHERE message_id = $1");
        command.Parameters.AddWithValue(id);
        var stored = (byte[]?)await command.ExecuteScalarAsync();
        Assert.NotNull(stored);
        Assert.EndsWith("Subject: during shutdown\r\n\r\nbody\r\n", System.Text.Encoding.ASCII.GetString(stored));
        NpgsqlConnection.ClearAllPools();
        postgres.Dispose();
        output.WriteLine($"postgres stopped after {clock.Elapsed}");
        directory.Delete(recursive: true);
    }
}
