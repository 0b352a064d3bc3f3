namespace Wetstoets.Synthesis;

public static class Statistics
{
    /// <summary>Exact figures: decimal arithmetic, the median of an even count is the mean of the middle two.</summary>
    public static (decimal? Sum, decimal? Mean, decimal? Median, decimal? Min, decimal? Max) Of(IReadOnlyCollection<decimal> values)
    {
        if (values.Count == 0)
        {
            return (null, null, null, null, null);
        }
        var sorted = values.Order().ToArray();
        var sum = sorted.Sum();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return (sum, sum / sorted.Length, median, sorted[0], sorted[^1]);
    }
}
