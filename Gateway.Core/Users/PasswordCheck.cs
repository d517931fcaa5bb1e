namespace Gateway.Core.Users;

/// <summary>The outcome of checking a password against its stored hash.</summary>
public enum PasswordCheck
{
    NoMatch,
    Match,

    /// <summary>The password is right but the hash uses weaker settings than today's; it should be stored again.</summary>
    MatchNeedsRehash,
}
