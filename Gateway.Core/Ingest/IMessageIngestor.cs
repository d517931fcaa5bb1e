namespace Gateway.Core.Ingest;

/// <summary>Commits accepted messages durably. A completed task means the message is committed.</summary>
public interface IMessageIngestor
{
    /// <exception cref="IngestUnavailableException">The store could not commit the message.</exception>
    Task CommitAsync(IncomingMessage message, CancellationToken cancellationToken);
}
