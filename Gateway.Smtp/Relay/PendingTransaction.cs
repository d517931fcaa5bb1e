using Gateway.Core.Queue;

namespace Gateway.Smtp.Relay;

/// <summary>One message and the claimed recipients it goes to at one destination: one mail transaction.</summary>
internal sealed record PendingTransaction(QueuedMessage Message, List<ClaimedRecipient> Recipients);
