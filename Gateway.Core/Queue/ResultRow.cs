using Gateway.Core.Domain;

namespace Gateway.Core.Queue;

/// <summary>The values one <see cref="DeliveryResult"/> writes: the recipient's new state and the event text.</summary>
internal sealed record ResultRow(
    DeliveryResult Result,
    string State,
    DateTimeOffset FinishedAt,
    DateTimeOffset? DeliveredAt,
    string Details)
{
    public static ResultRow Of(DeliveryResult result)
    {
        var state = result.Outcome switch
        {
            AttemptOutcome.Delivered => RecipientState.Delivered,
            AttemptOutcome.Deferred => RecipientState.Deferred,
            _ => RecipientState.Failed,
        };
        var finishedAt = result.StartedAt.AddMilliseconds(result.DurationMs);
        var reply = result.ReplyCode is null ? result.ReplyText : $"{result.ReplyCode} {result.ReplyText}";
        return new ResultRow(result, state.ToString(), finishedAt,
            result.Outcome == AttemptOutcome.Delivered ? finishedAt : null,
            $"{result.Recipient.Address} via {result.NextHop}: {reply}");
    }
}
