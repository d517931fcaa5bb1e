using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gateway.Tests.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;
using Xunit.Abstractions;

namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>
/// Thousands of generated and mutated sessions against one running gateway with its real PostgreSQL store.
/// Afterwards the process still serves mail, its memory has not run away, and the database holds exactly the
/// messages whose 250 was sent, each byte-identical to what the client transmitted in that transaction.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class SmtpFuzzTests(ITestOutputHelper output)
{
    private const int MaxMessageSize = 32 * 1024;

    [Fact]
    public async Task Fuzz_ThousandsOfGeneratedSessions_StoreOnlyAcknowledgedMessagesByteIdentical()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_FUZZ_SEED"), out var s)
            ? s
            : Random.Shared.Next();
        var sessions = int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_FUZZ_SESSIONS"), out var n) ? n : 2000;
        output.WriteLine($"seed {seed}, {sessions} sessions (GATEWAY_FUZZ_SEED / GATEWAY_FUZZ_SESSIONS)");

        var startup = Stopwatch.StartNew();
        await using var gateway = GatewayHost.Start(await SharedPostgres.NewDatabaseAsync(), Settings());
        output.WriteLine($"gateway started in {startup.Elapsed.TotalSeconds:F1} s");
        var memoryBefore = ManagedMemory();
        var acknowledged = new ConcurrentDictionary<Guid, IReadOnlyList<byte[]>>();

        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await new FuzzSession(gateway.SmtpPort, new Random(HashCode.Combine(seed, i)), MaxMessageSize)
                .RunAsync(acknowledged));
        output.WriteLine($"{sessions} sessions in {clock.Elapsed.TotalSeconds:F1} s, {acknowledged.Count} acked, " +
            $"{acknowledged.Values.Count(c => c.Count != 1)} of them in hostile sessions with several candidates");

        var memoryGrowth = ManagedMemory() - memoryBefore;
        output.WriteLine($"managed memory grew by {memoryGrowth / 1024 / 1024} MiB");
        Assert.True(memoryGrowth < 128L * 1024 * 1024, $"managed memory grew by {memoryGrowth} bytes (seed {seed})");

        var afterwards = await SendWithMailKitAsync(gateway.SmtpPort);
        var stored = await ReadStoredAsync(gateway.GetService<NpgsqlDataSource>());
        Assert.True(stored.Remove(afterwards), "the message sent after the fuzz was not stored");
        Assert.True(acknowledged.Count > sessions / 10, $"only {acknowledged.Count} messages were acknowledged");
        foreach (var (id, content) in stored)
        {
            Assert.True(acknowledged.TryGetValue(id, out var candidates), $"{id} stored without a 250 (seed {seed})");
            Assert.True(candidates.Any(c => IsOurHeaderFollowedBy(content, c, id)),
                $"{id} is not byte-identical to what the client sent (seed {seed})");
            Assert.False(HasBareLineEnding(content), $"{id} was stored with a bare CR or LF (seed {seed})");
        }

        Assert.All(acknowledged.Keys, id => Assert.True(stored.ContainsKey(id), $"{id} acknowledged but not stored"));
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Gateway:Smtp:MaxMessageSize"] = MaxMessageSize.ToString(CultureInfo.InvariantCulture),
        ["Gateway:Smtp:MaxCommandLineLength"] = "1024",
        ["Gateway:Smtp:IdleTimeout"] = "00:00:01",
        ["Gateway:Smtp:MaxErrors"] = "20",
        ["Gateway:Smtp:MaxConnectionsPerClient"] = "64",
        ["Gateway:Smtp:GreetingDelay"] = "00:00:00",

        // Deliveries go nowhere: a loopback port nobody listens on.
        ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{FreePort.Next()}",
    };

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    // A well-behaved client after the storm: the listener must still take mail. Returns the queue id.
    private static async Task<Guid> SendWithMailKitAsync(int port)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        var reply = await client.SendAsync(new MimeMessage
        {
            From = { MailboxAddress.Parse("after@fuzz.test") },
            To = { MailboxAddress.Parse("still@fuzz.test") },
            Subject = "still up",
            Body = new TextPart("plain") { Text = "The listener survived." },
        });
        await client.DisconnectAsync(quit: true);
        return Guid.ParseExact(reply.Split(' ')[^1], "N");
    }

    private static async Task<Dictionary<Guid, byte[]>> ReadStoredAsync(NpgsqlDataSource dataSource)
    {
        var stored = new Dictionary<Guid, byte[]>();
        await using var command = dataSource.CreateCommand(
            "SELECT m.id, c.data FROM messages m JOIN message_contents c ON c.message_id = m.id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetGuid(0)] = (byte[])reader[1];
        }

        return stored;
    }

    // Nothing stored may hold a CR or LF that is not part of a CRLF: the relay sends what is stored.
    private static bool HasBareLineEnding(byte[] content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var bareCr = content[i] == (byte)'\r' && (i + 1 == content.Length || content[i + 1] != (byte)'\n');
            var bareLf = content[i] == (byte)'\n' && (i == 0 || content[i - 1] != (byte)'\r');
            if (bareCr || bareLf)
            {
                return true;
            }
        }

        return false;
    }

    // Stored content = our Received header (first line "Received: from", continuation lines starting with a tab,
    // naming the queue id) followed by exactly the candidate bytes.
    private static bool IsOurHeaderFollowedBy(byte[] stored, byte[] candidate, Guid id)
    {
        if (stored.Length < candidate.Length ||
            !stored.AsSpan(stored.Length - candidate.Length).SequenceEqual(candidate))
        {
            return false;
        }

        var header = System.Text.Encoding.UTF8.GetString(stored, 0, stored.Length - candidate.Length);
        var lines = header.Split("\r\n");
        return header.StartsWith("Received: from ", StringComparison.Ordinal) &&
            header.EndsWith("\r\n", StringComparison.Ordinal) &&
            header.Contains($" id {id:N}", StringComparison.Ordinal) &&
            lines[1..^1].All(l => l.StartsWith('\t'));
    }
}
