using System.Collections.Concurrent;

namespace Gateway.Tests.Faults;

/// <summary>The last 200 lines a child process wrote.</summary>
internal sealed class ConcurrentLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > 200 && _lines.TryDequeue(out _))
        {
        }
    }
}
