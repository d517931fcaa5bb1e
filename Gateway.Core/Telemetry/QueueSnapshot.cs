using Gateway.Core.Domain;

namespace Gateway.Core.Telemetry;

/// <summary>
/// How many recipients wait in each state that is still part of the queue (queued, deferred, held), and how long
/// the oldest of them (queued or deferred) has waited since its message was received.
/// </summary>
public sealed record QueueSnapshot(
    IReadOnlyDictionary<RecipientState, long> Waiting,
    TimeSpan OldestAge,
    DateTimeOffset TakenAt)
{
    /// <summary>The states counted as queue depth; delivered, failed and cancelled recipients left the queue.</summary>
    public static IReadOnlyList<RecipientState> QueueStates { get; } =
        [RecipientState.Queued, RecipientState.Deferred, RecipientState.Held];
}
