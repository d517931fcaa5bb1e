using Gateway.Core.Domain;
using Gateway.Web.Dashboard;

namespace Gateway.Tests.Dashboard;

public sealed class TimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_EventsAndAttempts_MergedByTimeWithReplyCodes()
    {
        var recipient = new Recipient { Id = 7, Address = "ann@dest.test" };
        recipient.Attempts.Add(new DeliveryAttempt
        {
            StartedAt = T0.AddSeconds(1), NextHop = "10.0.0.1:25", ReplyCode = 451, EnhancedCode = "4.3.0",
            ReplyText = "Try later", Outcome = AttemptOutcome.Deferred, DurationMs = 12.4,
        });
        recipient.Attempts.Add(new DeliveryAttempt
        {
            StartedAt = T0.AddSeconds(5), NextHop = "10.0.0.1:25", ReplyCode = 250, ReplyText = "Ok",
            Outcome = AttemptOutcome.Delivered,
        });
        var events = new[]
        {
            new MessageEvent { At = T0, Kind = EventKind.Received, Details = "from 127.0.0.1" },
            new MessageEvent { At = T0.AddSeconds(2), Kind = EventKind.Retried, RecipientId = 7, Actor = "admin",
                Details = "RetryNow by operator admin" },
        };

        var timeline = Timeline.Build(events, [recipient]);

        Assert.Equal(["Received", "Attempt: Deferred", "Retried", "Attempt: Delivered"],
            timeline.Select(e => e.What));
        Assert.Equal("451 4.3.0 Try later (via 10.0.0.1:25, 12 ms)", timeline[1].Detail);
        Assert.Equal("ann@dest.test", timeline[2].Recipient);
        Assert.Equal(["neutral", "warn", "neutral", "good"], timeline.Select(e => e.Tone));
    }
}
