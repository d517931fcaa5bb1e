using System.Collections.Concurrent;
using Gateway.Core.Ingest;

namespace Gateway.Tests.Smtp.Support;

/// <summary>
/// An in-process message store for protocol tests that only need to see what the listener would commit; tests
/// of durability use the real PostgreSQL store instead.
/// </summary>
internal sealed class RecordingIngestor : IMessageIngestor
{
    private readonly ConcurrentQueue<StoredMessage> _messages = new();

    public IReadOnlyList<StoredMessage> Messages => _messages.ToArray();

    public Task CommitAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(new StoredMessage(message, message.Content.ToArray()));
        return Task.CompletedTask;
    }
}
