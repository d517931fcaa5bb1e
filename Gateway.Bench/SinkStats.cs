using System.Globalization;

namespace Gateway.Bench;

/// <summary>The sink's running count and the Unix time in ms of its last arrival, as written to its stats file.</summary>
public readonly record struct SinkStats(long Count, long LastArrivalMs)
{
    public static async Task<SinkStats> ReadAsync(string path)
    {
        var parts = (await File.ReadAllTextAsync(path)).Split(' ', StringSplitOptions.TrimEntries);
        return new SinkStats(
            long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
