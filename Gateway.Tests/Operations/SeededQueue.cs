using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Tests.Operations;

/// <summary>Writes messages in chosen states and ages straight into a migrated database.</summary>
internal sealed class SeededQueue(string connectionString)
{
    public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    public GatewayDbContext Open() => new(new DbContextOptionsBuilder<GatewayDbContext>()
        .UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);

    public async Task MigrateAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    /// <summary>A message received <paramref name="receivedDaysAgo"/> days ago whose recipients last changed
    /// <paramref name="finishedDaysAgo"/> days ago, with a body, an attempt per recipient and an event.</summary>
    public async Task<Guid> AddAsync(double receivedDaysAgo, double finishedDaysAgo, params RecipientState[] states)
    {
        var id = Guid.CreateVersion7();
        var finished = Now.AddDays(-finishedDaysAgo);
        var message = new Message
        {
            Id = id,
            ReceivedAt = Now.AddDays(-receivedDaysAgo),
            ClientAddress = "127.0.0.1",
            ReversePath = "app@example.com",
            Size = 5,
            Content = new MessageContent { MessageId = id, Data = "body\n"u8.ToArray() },
            Recipients = states.Select((state, i) => new Recipient
            {
                Address = $"r{i}@example.net",
                State = state,
                NextAttemptAt = finished,
                UpdatedAt = finished,
                Attempts =
                [
                    new DeliveryAttempt
                    {
                        MessageId = id, StartedAt = finished, NextHop = "test", Outcome = AttemptOutcome.Deferred,
                    },
                ],
            }).ToList(),
        };

        await using var db = Open();
        db.Messages.Add(message);
        db.Events.Add(new MessageEvent { MessageId = id, Kind = EventKind.Received, At = message.ReceivedAt });
        await db.SaveChangesAsync();
        return id;
    }
}
