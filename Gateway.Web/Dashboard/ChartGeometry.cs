using System.Globalization;
using System.Text;

namespace Gateway.Web.Dashboard;

/// <summary>The arithmetic of the overview's throughput chart: one point per minute, a round scale, SVG points.</summary>
public static class ChartGeometry
{
    /// <summary>One point per minute over <paramref name="span"/> up to <paramref name="end"/>; missing minutes are 0.</summary>
    public static IReadOnlyList<MinutePoint> FillMinutes(IEnumerable<MinutePoint> points, DateTimeOffset end,
        TimeSpan span)
    {
        var last = Truncate(end);
        var minutes = (int)span.TotalMinutes;
        var byMinute = points.ToDictionary(p => Truncate(p.Minute));
        return [.. Enumerable.Range(0, minutes).Select(i => last.AddMinutes(i - minutes + 1))
            .Select(m => byMinute.GetValueOrDefault(m) ?? new MinutePoint(m, 0, 0, 0))];
    }

    /// <summary>The top of the y axis: the largest value rounded up to 1, 2 or 5 times a power of ten.</summary>
    public static long Scale(IEnumerable<MinutePoint> points)
    {
        var max = points.Select(p => Math.Max(p.Accepted, Math.Max(p.Delivered, p.Failed))).DefaultIfEmpty(0).Max();
        long step = 1;
        while (true)
        {
            foreach (var factor in new long[] { 1, 2, 5 })
            {
                if (max <= factor * step)
                {
                    return factor * step;
                }
            }

            step *= 10;
        }
    }

    /// <summary>The "x,y x,y ..." of an SVG polyline for one series, y growing downwards as SVG does.</summary>
    public static string Polyline(IReadOnlyList<MinutePoint> points, Func<MinutePoint, long> value, double width,
        double height, long scale)
    {
        var text = new StringBuilder();
        var dx = points.Count > 1 ? width / (points.Count - 1) : 0;
        for (var i = 0; i < points.Count; i++)
        {
            var y = height - (height * value(points[i]) / Math.Max(1, scale));
            text.Append(CultureInfo.InvariantCulture, $"{i * dx:0.##},{y:0.##} ");
        }

        return text.ToString().TrimEnd();
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
}
