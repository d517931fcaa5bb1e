using Gateway.Core.Domain;

namespace Gateway.Smtp.Relay;

/// <summary>What one attempt means for one recipient, before the retry schedule has its say.</summary>
internal sealed record Verdict(AttemptOutcome Outcome, int? Code, string? EnhancedCode, string Text)
{
    // RFC 5321 §4.2.1: 2yz done, 4yz try again later, 5yz do not try again.
    public static Verdict From(NextHopReply reply) => new(
        reply.IsPositive ? AttemptOutcome.Delivered
        : reply.IsTransient ? AttemptOutcome.Deferred
        : AttemptOutcome.Failed,
        reply.Code, reply.EnhancedCode, reply.Text);
}
