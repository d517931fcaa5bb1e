using Gateway.Core.Domain;

namespace Gateway.Core.Operators;

/// <summary>The answer to a sign-in: the operator, or why not. A wrong name and a wrong password look alike.</summary>
public sealed record OperatorSignIn(OperatorSignInStatus Status, Operator? Operator = null)
{
    public static OperatorSignIn Invalid { get; } = new(OperatorSignInStatus.Invalid);

    public static OperatorSignIn LockedOut { get; } = new(OperatorSignInStatus.LockedOut);
}
