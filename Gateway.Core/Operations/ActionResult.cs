namespace Gateway.Core.Operations;

/// <summary>
/// The outcome of an operator action. <see cref="Changed"/> recipients moved; <see cref="InFlight"/> were being
/// delivered at that moment and were left alone (the delivery's outcome wins); <see cref="Matched"/> counts all
/// recipients the target selected, including those whose state the action does not apply to.
/// </summary>
public sealed record ActionResult(int Matched, int Changed, int InFlight);
