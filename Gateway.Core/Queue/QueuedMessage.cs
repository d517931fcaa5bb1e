namespace Gateway.Core.Queue;

/// <summary>What a worker needs to deliver a message: its reverse-path, age and bytes.</summary>
public sealed record QueuedMessage(Guid Id, string ReversePath, DateTimeOffset ReceivedAt, byte[] Content);
