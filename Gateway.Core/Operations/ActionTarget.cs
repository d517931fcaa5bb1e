using Gateway.Core.Queries;

namespace Gateway.Core.Operations;

/// <summary>What an operator action applies to: one message, one of its recipients, or every match of a filter.</summary>
public sealed record ActionTarget
{
    public Guid? MessageId { get; init; }

    public string? RecipientAddress { get; init; }

    public MessageFilter? Filter { get; init; }

    public static ActionTarget ForMessage(Guid messageId) => new() { MessageId = messageId };

    public static ActionTarget ForRecipient(Guid messageId, string address) =>
        new() { MessageId = messageId, RecipientAddress = address };

    public static ActionTarget Matching(MessageFilter filter) => new() { Filter = filter };
}
