using EmbedEngine.Kernels.Speed.Probes;

namespace EmbedEngine.Kernels.Speed;

/// <summary>One variant of one kernel at one shape.</summary>
/// <param name="Kernel">The kernel family.</param>
/// <param name="Shape">The shape.</param>
/// <param name="Variant">scalar, avx2, avx512, gpu or an experimental variant's name.</param>
/// <param name="Seconds">Median seconds per call, less the call overhead.</param>
/// <param name="SpeedUp">The scalar variant's time over this one's, at the same shape.</param>
/// <param name="Rate">GFLOP/s or GB/s, as <paramref name="Unit"/> says.</param>
/// <param name="Unit">What <paramref name="Rate"/> counts.</param>
/// <param name="PercentOfPeak">Rate as a percentage of the core's FMA peak or of the memory bandwidth; null for the GPU.</param>
public sealed record SpeedRow(string Kernel, string Shape, string Variant, double Seconds, double SpeedUp, double Rate, WorkUnit Unit,
    double? PercentOfPeak);

/// <summary>A whole <c>embed bench speed</c> run: the machine's peaks and every row.</summary>
/// <param name="Peaks">The probes' results.</param>
/// <param name="RunOverheadSeconds">The time of invoking an empty run, taken off every run's time before it is divided by its calls.</param>
/// <param name="Rows">Every kernel, shape and variant, in catalogue order.</param>
public sealed record SpeedReport(MachinePeaks Peaks, double RunOverheadSeconds, IReadOnlyList<SpeedRow> Rows);
