using System.Globalization;
using EmbedEngine.Kernels.Speed;
using EmbedEngine.Kernels.Speed.Probes;

namespace EmbedEngine.Cli.Bench;

/// <summary>The plain-text table of <c>embed bench speed</c>: the machine's peaks, then one aligned row per variant.</summary>
internal static class SpeedTable
{
    private static readonly string[] Header = ["kernel", "shape", "variant", "time", "speed-up", "rate", "% peak"];

    public static string Render(SpeedReport report)
    {
        MachinePeaks peaks = report.Peaks;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peaks per core: FMA AVX2 {Gflops(peaks.Avx2Gflops)}, AVX-512 {Gflops(peaks.Avx512Gflops)}; memory bandwidth {peaks.BandwidthGBs:F1} GB/s; run overhead {Time(report.RunOverheadSeconds)} (taken off every run)"));
        text.WriteLine();
        text.Write(PlainTable.Render(Header, report.Rows.Select(Cells), textColumns: 3));
        return text.ToString();
    }

    private static string[] Cells(SpeedRow row) =>
    [
        row.Kernel, row.Shape, row.Variant, Time(row.Seconds),
        string.Create(CultureInfo.InvariantCulture, $"{row.SpeedUp:F2}x"),
        string.Create(CultureInfo.InvariantCulture, $"{row.Rate:F2} {(row.Unit == WorkUnit.Flops ? "GFLOP/s" : "GB/s")}"),
        row.PercentOfPeak is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:F1}%") : "-",
    ];

    private static string Gflops(double? rate) =>
        rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:F1} GFLOP/s") : "n/a";

    /// <summary>Seconds in the unit that keeps three to four significant digits.</summary>
    private static string Time(double seconds) => seconds switch
    {
        < 1e-6 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e9:F1} ns"),
        < 1e-3 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F2} us"),
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F2} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds:F3} s"),
    };
}
