using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench;

/// <summary>
/// Drives an SMTP server with N sessions and prints what it saw: accepted messages per second, end-of-DATA to
/// reply latency, and (given the sink's stats file) messages per second arriving at the sink.
/// </summary>
public static class LoadCommand
{
    public static async Task RunAsync(BenchArguments arguments)
    {
        var plan = new LoadPlan(
            Port: arguments.Number("port"),
            Sessions: arguments.Number("sessions", 20),
            Messages: arguments.Number("messages", 2000),
            PerConnection: arguments.Number("per-connection", 1),
            Pipelining: arguments.Flag("pipelining"),
            Size: arguments.Number("size", 2048),
            Rate: arguments.Number("rate", 0));
        var sinkStats = arguments.Text("sink-stats", "");

        var before = sinkStats.Length > 0 ? await SinkStats.ReadAsync(sinkStats) : default;
        var startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var result = await new SmtpLoadGenerator(plan).RunAsync();
        var seconds = clock.Elapsed.TotalSeconds;

        Print("accepted", result.Accepted);
        Print("rejected", result.Rejected);
        Print("errors", result.Errors);
        Print("seconds", seconds);
        Print("accept_rate", result.Accepted / seconds);
        Print("latency_p50_ms", Percentile.Of(result.Latencies, 0.50));
        Print("latency_p99_ms", Percentile.Of(result.Latencies, 0.99));

        if (sinkStats.Length > 0)
        {
            var target = before.Count + result.Accepted;
            var deadline = Stopwatch.StartNew();
            var now = await SinkStats.ReadAsync(sinkStats);
            while (now.Count < target && deadline.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(50);
                now = await SinkStats.ReadAsync(sinkStats);
            }

            Print("delivered", now.Count - before.Count);
            Print("e2e_rate", (now.Count - before.Count) / ((now.LastArrivalMs - startedMs) / 1000.0));
        }
    }

    private static void Print(string key, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value:0.###}"));
}
