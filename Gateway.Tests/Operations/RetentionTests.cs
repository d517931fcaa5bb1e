using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Api.Api;
using Gateway.Core.Domain;
using Gateway.Core.Operations;
using Gateway.Core.Retention;
using Gateway.Core.Telemetry;
using Gateway.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Operations;

/// <summary>
/// Retention drops the bodies of mail finished more than 7 days ago and whole records finished more than 30 days
/// ago, and leaves alone everything still waiting, held or finished recently.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private SeededQueue _seed = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        var database = await SharedPostgres.NewDatabaseAsync();
        _seed = new SeededQueue(database);
        await _seed.MigrateAsync();

        // Without the relay role the job does not run by itself; the test runs its sweeps.
        _gateway = GatewayHost.Start(database, new Dictionary<string, string?>
        {
            ["Gateway:Roles"] = "smtp,web",
            ["Gateway:Retention:PurgeBodiesAfter"] = "7.00:00:00",
            ["Gateway:Retention:DeleteMessagesAfter"] = "30.00:00:00",
            ["Gateway:Retention:BatchSize"] = "1",
            ["Gateway:Retention:BatchPause"] = "00:00:00",
        });
    }

    [Fact]
    public async Task Sweep_MixedAges_PurgesAndDeletesOnlyFinishedMailPastItsPeriod()
    {
        var purged = await _seed.AddAsync(10, 10, RecipientState.Delivered, RecipientState.Failed);
        var deleted = await _seed.AddAsync(40, 40, RecipientState.Delivered);
        var deletedToo = await _seed.AddAsync(45, 35, RecipientState.Cancelled);
        var waiting = await _seed.AddAsync(10, 10, RecipientState.Delivered, RecipientState.Deferred);
        var held = await _seed.AddAsync(40, 40, RecipientState.Delivered, RecipientState.Held);
        var finishedYesterday = await _seed.AddAsync(10, 1, RecipientState.Delivered);
        var fresh = await _seed.AddAsync(1, 1, RecipientState.Delivered);
        var job = _gateway.GetService<RetentionJob>();

        var first = await job.SweepAsync(CancellationToken.None);
        var second = await job.SweepAsync(CancellationToken.None);

        Assert.Equal((3, 2, 0), first);
        Assert.Equal((0, 0, 0), second);
        await using var db = _seed.Open();
        AssertSameIds([purged, waiting, held, finishedYesterday, fresh],
            await db.Messages.Select(m => m.Id).ToListAsync());
        AssertSameIds([waiting, held, finishedYesterday, fresh],
            await db.MessageContents.Select(c => c.MessageId).ToListAsync());
        Assert.Empty(await db.Recipients.Where(r => r.MessageId == deleted || r.MessageId == deletedToo)
            .ToListAsync());
        Assert.Empty(await db.DeliveryAttempts.Where(a => a.MessageId == deleted || a.MessageId == deletedToo)
            .ToListAsync());
        Assert.Empty(await db.Events.Where(e => e.MessageId == deleted || e.MessageId == deletedToo).ToListAsync());
        Assert.Equal(2, await db.Recipients.CountAsync(r => r.MessageId == purged));
        Assert.Equal(1, await db.Events.CountAsync(e => e.MessageId == purged));
    }

    [Fact]
    public async Task Sweep_IdempotencyKeys_ForgetsOnlyThoseOlderThanADay()
    {
        using var http = await _gateway.CreateApiClientAsync();
        await using var db = _seed.Open();
        var apiKey = await db.ApiKeys.Select(k => k.Id).SingleAsync();
        db.IdempotencyRecords.AddRange(
            new IdempotencyRecord
            {
                ApiKeyId = apiKey, Key = "yesterday", RequestHash = [1], MessageId = Guid.NewGuid(),
                CreatedAt = _seed.Now.AddHours(-25),
            },
            new IdempotencyRecord
            {
                ApiKeyId = apiKey, Key = "an-hour-ago", RequestHash = [2], MessageId = Guid.NewGuid(),
                CreatedAt = _seed.Now.AddHours(-1),
            });
        await db.SaveChangesAsync();

        var sweep = await _gateway.GetService<RetentionJob>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, sweep.KeysForgotten);
        Assert.Equal(["an-hour-ago"], await db.IdempotencyRecords.AsNoTracking().Select(r => r.Key).ToListAsync());
    }

    [Fact]
    public async Task RetryNow_MessageWhoseBodyWasPurged_LeavesItFailed()
    {
        var purged = await _seed.AddAsync(10, 10, RecipientState.Failed);
        var kept = await _seed.AddAsync(2, 2, RecipientState.Failed);
        await _gateway.GetService<RetentionJob>().SweepAsync(CancellationToken.None);

        await using var scope = _gateway.Services.CreateAsyncScope();
        var actions = scope.ServiceProvider.GetRequiredService<OperatorActions>();
        var onPurged = await actions.ApplyAsync(OperatorAction.RetryNow, new ActionTarget { MessageId = purged },
            "admin", CancellationToken.None);
        var onKept = await actions.ApplyAsync(OperatorAction.RetryNow, new ActionTarget { MessageId = kept },
            "admin", CancellationToken.None);

        Assert.Equal((1, 0), (onPurged.Matched, onPurged.Changed));
        Assert.Equal((1, 1), (onKept.Matched, onKept.Changed));
        await using var db = _seed.Open();
        Assert.Equal(RecipientState.Failed, await db.Recipients.Where(r => r.MessageId == purged)
            .Select(r => r.State).SingleAsync());
    }

    [Fact]
    public async Task MessageDetail_AfterBodyPurged_ShowsWhen()
    {
        var purged = await _seed.AddAsync(10, 10, RecipientState.Delivered);
        var kept = await _seed.AddAsync(2, 2, RecipientState.Delivered);

        await _gateway.GetService<RetentionJob>().SweepAsync(CancellationToken.None);

        using var http = await _gateway.CreateApiClientAsync();
        var purgedDetail = await http.GetFromJsonAsync<MessageDetail>($"/api/v1/messages/{purged:N}", Json);
        var keptDetail = await http.GetFromJsonAsync<MessageDetail>($"/api/v1/messages/{kept:N}", Json);
        Assert.NotNull(purgedDetail!.BodyPurgedAt);
        Assert.InRange(purgedDetail.BodyPurgedAt!.Value, _seed.Now.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Null(keptDetail!.BodyPurgedAt);
    }

    [Fact]
    public async Task QueueStatistics_MixedStates_CountsWaitingRecipientsAndOldestAge()
    {
        await _seed.AddAsync(10, 10, RecipientState.Delivered, RecipientState.Deferred);
        await _seed.AddAsync(3, 3, RecipientState.Queued, RecipientState.Queued);
        await _seed.AddAsync(40, 40, RecipientState.Held);
        await _seed.AddAsync(50, 50, RecipientState.Failed);

        var snapshot = await _gateway.GetService<QueueStatistics>().ReadAsync(CancellationToken.None);

        Assert.Equal(2, snapshot.Waiting[RecipientState.Queued]);
        Assert.Equal(1, snapshot.Waiting[RecipientState.Deferred]);
        Assert.Equal(1, snapshot.Waiting[RecipientState.Held]);
        Assert.Equal(3, snapshot.Waiting.Count);

        // Held mail waits for an operator, not for the relay: it does not make the queue look stuck.
        Assert.InRange(snapshot.OldestAge.TotalDays, 9.99, 10.01);
    }

    private static void AssertSameIds(Guid[] expected, List<Guid> actual) =>
        Assert.Equal(expected.Order().ToList(), actual.Order().ToList());

    public async Task DisposeAsync() => await _gateway.DisposeAsync();
}
