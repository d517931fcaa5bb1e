namespace Gateway.Core.Users;

/// <summary>A request to the user service that cannot be carried out; the message says why, for a human.</summary>
public sealed class SmtpUserException : Exception
{
    public SmtpUserException()
    {
    }

    public SmtpUserException(string message)
        : base(message)
    {
    }

    public SmtpUserException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
