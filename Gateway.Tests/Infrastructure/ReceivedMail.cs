namespace Gateway.Tests.Infrastructure;

/// <summary>One message as the downstream server received it.</summary>
public sealed record ReceivedMail(string ReversePath, IReadOnlyList<string> Recipients, string Data);
