namespace Gateway.Core.Ingest;

/// <summary>The message could not be committed; the client must be told to try again later (451 4.3.0).</summary>
public sealed class IngestUnavailableException : Exception
{
    public IngestUnavailableException()
    {
    }

    public IngestUnavailableException(string message)
        : base(message)
    {
    }

    public IngestUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
