namespace Gateway.Smtp.Session;

/// <summary>Which client response an AUTH exchange in progress waits for (RFC 4954 §4).</summary>
internal enum SaslStep
{
    /// <summary>AUTH PLAIN without an initial response: the whole PLAIN message comes next.</summary>
    PlainResponse,

    /// <summary>AUTH LOGIN: the user name comes next.</summary>
    LoginUser,

    /// <summary>AUTH LOGIN: the password comes next.</summary>
    LoginPassword,
}
