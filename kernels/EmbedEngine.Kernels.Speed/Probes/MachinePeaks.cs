namespace EmbedEngine.Kernels.Speed.Probes;

/// <summary>What one core of this machine can do at most, measured in the same run as the kernels.</summary>
/// <param name="Avx2Gflops">Vector256 FMA peak (null without AVX2).</param>
/// <param name="Avx512Gflops">Vector512 FMA peak (null without AVX-512).</param>
/// <param name="BandwidthGBs">Memory bandwidth of y += a·x on arrays far past the caches, 12 bytes an element.</param>
public sealed record MachinePeaks(double? Avx2Gflops, double? Avx512Gflops, double BandwidthGBs)
{
    /// <summary>Steps of one FMA probe call: about 10 to 20 MFLOP, microseconds to milliseconds.</summary>
    private const int FmaSteps = 1 << 16;

    /// <summary>Floats per bandwidth probe array: 64 MiB each, past every cache level.</summary>
    private const int BandwidthFloats = 16 << 20;

    /// <summary>The best FMA rate: what a compute-bound kernel's GFLOP/s is a fraction of.</summary>
    public double FlopsPeak => Math.Max(Avx512Gflops ?? 0, Avx2Gflops ?? 0);

    /// <summary>Runs the probes, each for about <paramref name="budget"/>.</summary>
    public static MachinePeaks Measure(TimeSpan budget)
    {
        double? avx2 = IsaDispatch.IsSupported(Isa.Avx2)
            ? PeakFma.Flops(FmaSteps, 8) / SpeedTimer.MedianSeconds(() => PeakFma.Avx2(FmaSteps), budget) / 1e9 : null;
        double? avx512 = IsaDispatch.IsSupported(Isa.Avx512)
            ? PeakFma.Flops(FmaSteps, 16) / SpeedTimer.MedianSeconds(() => PeakFma.Avx512(FmaSteps), budget) / 1e9 : null;
        return new MachinePeaks(avx2, avx512, Bandwidth(budget));
    }

    private static double Bandwidth(TimeSpan budget)
    {
        using NativeMatrix arrays = NativeMatrix.Allocate(2, BandwidthFloats);
        arrays.Row(0).Fill(1f);
        return 12.0 * BandwidthFloats / SpeedTimer.MedianSeconds(() => AxpyKernel.Axpy(1e-6f, arrays.Row(0), arrays.Row(1)), budget) / 1e9;
    }
}
