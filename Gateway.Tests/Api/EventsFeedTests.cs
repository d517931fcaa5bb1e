using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Gateway.Tests.Api;

public sealed class EventsFeedTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Feed_EventCommittedAfterAHigherId_IsStillDelivered()
    {
        using var client = host.Client();
        var messageId = (string)(await client.SendMailAsync(Mail("feed-order"))).AsObject()["id"]!;
        var start = await DrainAsync(client, null);

        // A transaction takes an event id, then stays open while later events (higher ids) commit.
        await using var slow = new NpgsqlConnection(host.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        long slowId;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO events (message_id, kind, at, actor, details) VALUES ($1, 'Retried', now(), 'slow', 'x') RETURNING id",
            slow, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(messageId) });
            slowId = (long)(await insert.ExecuteScalarAsync())!;
        }

        var later = (string)(await client.SendMailAsync(Mail("feed-later")))["id"]!;
        var whileOpen = await ReadAsync(client, start.Cursor);
        await transaction.CommitAsync();
        var afterCommit = await DrainAsync(client, (string)whileOpen["nextCursor"]!);

        // Other events (the relay deferring earlier mail) may come and go; what matters is the order of these two.
        var all = whileOpen["items"]!.AsArray().Select(e => e!).Concat(afterCommit.Items).ToList();
        var slowAt = all.FindIndex(e => (long)e["id"]! == slowId);
        var laterAt = all.FindIndex(e => (string)e["messageId"]! == later && (string)e["kind"]! == "Received");
        Assert.DoesNotContain(whileOpen["items"]!.AsArray(), e => (string)e!["messageId"]! == later);
        Assert.True(slowAt >= 0, "The event of the slow transaction was skipped.");
        Assert.True(laterAt > slowAt);
        Assert.Single(all, e => (long)e["id"]! == slowId);
    }

    [Fact]
    public async Task Feed_PolledWhileMailArrives_HasNoGapsAndNoDuplicates()
    {
        using var client = host.Client();
        var start = await DrainAsync(client, null);
        var sent = new List<string>();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var writer = host.Client();
            var mine = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                mine.Add((string)(await writer.SendMailAsync(Mail($"feed {w}/{i}")))["id"]!);
            }

            return mine;
        })).ToList();

        var seen = new List<JsonNode>();
        var cursor = start.Cursor;
        while (!writers.All(w => w.IsCompleted))
        {
            var page = await ReadAsync(client, cursor, 3);
            seen.AddRange(page["items"]!.AsArray().Select(e => e!));
            cursor = (string)page["nextCursor"]!;
        }

        foreach (var writer in writers)
        {
            sent.AddRange(await writer);
        }

        // Every event stored for these messages by now must come out of the feed, each once, once the
        // transactions in flight at this moment have ended.
        await using var db = new NpgsqlConnection(host.ConnectionString);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT array_agg(id) FROM events WHERE message_id = ANY($1)", db);
        query.Parameters.Add(new NpgsqlParameter { Value = sent.Select(Guid.Parse).ToArray() });
        var stored = (long[])(await query.ExecuteScalarAsync())!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!stored.All(id => seen.Any(e => (long)e["id"]! == id)) && DateTime.UtcNow < deadline)
        {
            var page = await ReadAsync(client, cursor);
            seen.AddRange(page["items"]!.AsArray().Select(e => e!));
            cursor = (string)page["nextCursor"]!;
        }

        var ids = seen.Select(e => (long)e["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(sent, id => Assert.Contains(seen, e => (string)e["messageId"]! == id && (string)e["kind"]! == "Received"));
        Assert.All(stored, id => Assert.Contains(id, ids));
    }

    [Fact]
    public async Task Feed_WithForeignCursor_AnswersValidationProblem()
    {
        using var client = host.Client();

        using var response = await client.GetAsync("/api/v1/events?after=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<JsonNode> ReadAsync(HttpClient client, string? after, int limit = 100) =>
        (await client.GetFromJsonAsync<JsonNode>("/api/v1/events?limit=" + limit + (after is null ? "" : "&after=" + after)))!;

    private static async Task<(List<JsonNode> Items, string Cursor)> DrainAsync(HttpClient client, string? after)
    {
        var items = new List<JsonNode>();
        while (true)
        {
            var page = await ReadAsync(client, after);
            var batch = page["items"]!.AsArray();
            items.AddRange(batch.Select(e => e!));
            after = (string)page["nextCursor"]!;
            if (batch.Count == 0)
            {
                return (items, after);
            }
        }
    }

    private static object Mail(string subject) =>
        new { from = "feed@example.test", to = new[] { "feed-rcpt@example.test" }, subject, text = "x" };
}
