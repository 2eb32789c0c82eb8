namespace EmbedEngine.Models.Training;

/// <summary>
/// The mean of a running sum over what was added since the previous reading: the "recent loss" of a progress
/// line. A reading with nothing new repeats the previous mean, so the last report of a run never turns NaN just
/// because a progress tick happened to see the final updates first.
/// </summary>
internal struct RecentAverage
{
    private double _sum;
    private long _count;
    private double _mean;

    /// <summary>Starts with no mean (NaN until something is added).</summary>
    public RecentAverage() => _mean = double.NaN;

    /// <summary>Takes the running totals; returns the mean of what they gained since the previous call.</summary>
    public double Read(double totalSum, long totalCount)
    {
        if (totalCount > _count) _mean = (totalSum - _sum) / (totalCount - _count);
        _sum = totalSum;
        _count = totalCount;
        return _mean;
    }
}
