using Gateway.Web.Dashboard;

namespace Gateway.Tests.Dashboard;

public sealed class ChartGeometryTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 4, 12, 0, 45, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(11, 20)]
    [InlineData(4999, 5000)]
    public void Scale_LargestValue_RoundsUpToOneTwoOrFive(long largest, long expected)
    {
        Assert.Equal(expected, ChartGeometry.Scale([new MinutePoint(End, largest, 0, 0)]));
    }

    [Fact]
    public void FillMinutes_MissingMinutes_AreZeroAndTheLastIsTheEndsMinute()
    {
        var filled = ChartGeometry.FillMinutes([new MinutePoint(End.AddMinutes(-2).AddSeconds(-45), 7, 0, 0)], End,
            TimeSpan.FromMinutes(4));

        Assert.Equal(4, filled.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero), filled[^1].Minute);
        Assert.Equal([0L, 7L, 0L, 0L], filled.Select(p => p.Accepted));
    }

    [Fact]
    public void Polyline_ValueAtTheScale_TouchesTheTop()
    {
        var points = new[] { new MinutePoint(End, 0, 0, 0), new MinutePoint(End, 5, 0, 0) };

        Assert.Equal("0,100 200,0", ChartGeometry.Polyline(points, p => p.Accepted, 200, 100, 5));
    }
}
