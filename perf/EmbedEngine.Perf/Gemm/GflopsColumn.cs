using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// Floating-point operations per second of a benchmark, from one statistic of its times and the work its parameters
/// name. On a shared machine the best iteration (<see cref="Best"/>) shows what the code can do and the median how
/// it fared under the load.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    private readonly Func<ParameterInstances, double> _flops;
    private readonly Func<Statistics, double> _time;
    private readonly string _statistic;

    private GflopsColumn(Func<ParameterInstances, double> flops, string statistic, Func<Statistics, double> time)
    {
        _flops = flops;
        _statistic = statistic;
        _time = time;
    }

    /// <summary>The best and median times and the GFLOP/s of each.</summary>
    /// <param name="flops">Floating-point operations of one invocation, given its parameters.</param>
    public static IColumn[] WithTimes(Func<ParameterInstances, double> flops) =>
        [StatisticColumn.Min, StatisticColumn.Median, Best(flops), Median(flops)];

    /// <summary>From the fastest iteration.</summary>
    /// <param name="flops">Floating-point operations of one invocation, given its parameters.</param>
    public static GflopsColumn Best(Func<ParameterInstances, double> flops) => new(flops, "best", s => s.Min);

    /// <summary>From the median iteration.</summary>
    /// <param name="flops">Floating-point operations of one invocation, given its parameters.</param>
    public static GflopsColumn Median(Func<ParameterInstances, double> flops) => new(flops, "median", s => s.Median);

    public string Id => $"{nameof(GflopsColumn)}.{_statistic}";

    public string ColumnName => $"GFLOP/s {_statistic}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Floating-point operations per second (10^9) in the {_statistic} iteration; an FMA counts as two";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        Statistics? statistics = summary[benchmarkCase]?.ResultStatistics;
        return statistics != null && _time(statistics) > 0
            ? (_flops(benchmarkCase.Parameters) / _time(statistics)).ToString("F1")
            : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
