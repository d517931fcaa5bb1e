namespace Gateway.Bench;

public static class Percentile
{
    /// <summary>The nearest-rank percentile (0..1) of the values, or NaN when there are none.</summary>
    public static double Of(IReadOnlyList<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
