using System.Globalization;
using System.Text.Json;
using Gateway.Core.Telemetry;

namespace Gateway.Api.Cli;

/// <summary>Prints the queue's depth per state and the age of the oldest waiting mail, as text or JSON.</summary>
public sealed class QueueCommand : ICliCommand
{
    public string Name => "queue";

    public string Summary => "[--json] shows waiting recipients per state and the oldest one's age";

    public async Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var statistics = ActivatorUtilities.CreateInstance<QueueStatistics>(context.Services);
        var snapshot = await statistics.ReadAsync(cancellationToken);
        if (arguments.Contains("--json"))
        {
            var json = new
            {
                waiting = snapshot.Waiting.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value),
                oldestAgeSeconds = Math.Round(snapshot.OldestAge.TotalSeconds, 3),
            };
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(json));
            return 0;
        }

        foreach (var (state, count) in snapshot.Waiting)
        {
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{state.ToString().ToLowerInvariant(),-10} {count,10}"));
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"oldest",-10} {snapshot.OldestAge:d\\.hh\\:mm\\:ss}"));
        return 0;
    }
}
