using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// Times the REST listing (pages through with the cursor) and message detail; prints p50 and p95. Sends the API key
/// in BENCH_API_KEY (bench/run.sh provisions one through Gateway:Api:BootstrapKey).
/// </summary>
public static class RestProbe
{
    public static async Task RunAsync(Uri baseAddress, int requests)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var key = Environment.GetEnvironmentVariable("BENCH_API_KEY");
        if (!string.IsNullOrEmpty(key))
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        var listing = new List<double>();
        var ids = new List<string>();
        string? cursor = null;
        await http.GetStringAsync(new Uri("/api/v1/messages?limit=50", UriKind.Relative));
        for (var i = 0; i < requests; i++)
        {
            var url = cursor is null || i % 20 == 0 ? "/api/v1/messages?limit=50" : $"/api/v1/messages?limit=50&cursor={cursor}";
            var started = Stopwatch.GetTimestamp();
            var body = await http.GetStringAsync(new Uri(url, UriKind.Relative));
            listing.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            using var page = JsonDocument.Parse(body);
            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String
                ? Uri.EscapeDataString(next.GetString()!) : null;
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetString()!);
            }
        }

        var detail = new List<double>();
        for (var i = 0; i < requests && ids.Count > 0; i++)
        {
            var id = ids[(i * 7919) % ids.Count];
            var started = Stopwatch.GetTimestamp();
            await http.GetStringAsync(new Uri($"/api/v1/messages/{id}", UriKind.Relative));
            detail.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Print("list_p50_ms", Percentile.Of(listing, 0.50));
        Print("list_p95_ms", Percentile.Of(listing, 0.95));
        Print("detail_p50_ms", Percentile.Of(detail, 0.50));
        Print("detail_p95_ms", Percentile.Of(detail, 0.95));
    }

    private static void Print(string key, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value:0.##}"));
}
