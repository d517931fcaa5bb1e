using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Faults;

/// <summary>How often each fault-test tag (the recipient's local part) arrived at the downstream server.</summary>
internal sealed class SinkTally
{
    private SinkTally(Dictionary<string, int> counts)
    {
        Counts = counts;
    }

    public Dictionary<string, int> Counts { get; }

    /// <summary>Arrivals beyond the first, over all tags.</summary>
    public int Duplicates => Counts.Values.Sum(c => c - 1);

    public static SinkTally Of(DownstreamSmtpServer downstream) => new(downstream.Messages
        .SelectMany(m => m.Recipients)
        .Select(r => r.Trim('<', '>').Split('@')[0])
        .GroupBy(tag => tag, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    /// <summary>Waits until every tag has arrived at least once; returns the tally either way.</summary>
    public static async Task<SinkTally> WaitForAsync(
        DownstreamSmtpServer downstream, IReadOnlyCollection<string> tags, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var tally = Of(downstream);
        while (tags.Any(t => !tally.Counts.ContainsKey(t)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            tally = Of(downstream);
        }

        return tally;
    }
}
