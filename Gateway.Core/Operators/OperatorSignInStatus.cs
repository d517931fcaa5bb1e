namespace Gateway.Core.Operators;

public enum OperatorSignInStatus
{
    Succeeded,

    /// <summary>Unknown name, disabled account or wrong password.</summary>
    Invalid,

    /// <summary>Too many failures in a row; the account refuses even the right password until the lock ends.</summary>
    LockedOut,
}
