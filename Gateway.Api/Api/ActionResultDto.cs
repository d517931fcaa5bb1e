namespace Gateway.Api.Api;

/// <summary>
/// What an operator action did: <c>Matched</c> recipients were selected, <c>Changed</c> moved to the new state,
/// <c>InFlight</c> were being delivered at that moment and were left alone.
/// </summary>
public sealed record ActionResultDto(string Action, int Matched, int Changed, int InFlight);
