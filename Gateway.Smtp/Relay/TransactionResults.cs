using Gateway.Core.Queue;

namespace Gateway.Smtp.Relay;

/// <summary>What one mail transaction came to: a result per recipient, known once the next hop answered.</summary>
internal sealed record TransactionResults(QueuedMessage Message, List<DeliveryResult> Results);
