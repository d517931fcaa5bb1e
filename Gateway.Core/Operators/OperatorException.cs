namespace Gateway.Core.Operators;

/// <summary>A request about operators that cannot be done as asked; the message is fit to show the operator.</summary>
public sealed class OperatorException : Exception
{
    public OperatorException()
    {
    }

    public OperatorException(string message)
        : base(message)
    {
    }

    public OperatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
