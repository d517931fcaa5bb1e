using Bunit;
using Gateway.Web.Components.Pages.Overview;
using Gateway.Web.Dashboard;

namespace Gateway.Tests.Dashboard;

public sealed class ThroughputChartTests : IDisposable
{
    private static readonly DateTimeOffset End = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);
    private readonly BunitContext context = new();

    [Fact]
    public void Render_ThreeSeries_OnePointPerMinuteAndTotalsInTheCaption()
    {
        var points = new[]
        {
            new MinutePoint(End.AddMinutes(-1), 4, 3, 1),
            new MinutePoint(End, 6, 2, 0),
        };

        var chart = context.Render<ThroughputChart>(p => p
            .Add(c => c.Points, points)
            .Add(c => c.End, End)
            .Add(c => c.Span, TimeSpan.FromMinutes(10)));

        var lines = chart.FindAll("polyline");
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(10, l.GetAttribute("points")!.Split(' ').Length));
        Assert.Contains("Accepted 10", chart.Find("figcaption").TextContent, StringComparison.Ordinal);
        Assert.Contains("Delivered 5", chart.Find("figcaption").TextContent, StringComparison.Ordinal);
        Assert.Contains("Failed 1", chart.Find("figcaption").TextContent, StringComparison.Ordinal);
        Assert.Contains(chart.FindAll("text"), t => t.TextContent.Trim() == "10");
    }

    [Fact]
    public void Render_NoMail_FlatLinesOnAScaleOfOne()
    {
        var chart = context.Render<ThroughputChart>(p => p
            .Add(c => c.Points, Array.Empty<MinutePoint>())
            .Add(c => c.End, End)
            .Add(c => c.Span, TimeSpan.FromMinutes(3)));

        var accepted = chart.Find("polyline.accepted").GetAttribute("points");
        Assert.Equal("0,180 360,180 720,180", accepted);
        Assert.Contains("Accepted 0", chart.Find("figcaption").TextContent, StringComparison.Ordinal);
    }

    public void Dispose() => context.Dispose();
}
