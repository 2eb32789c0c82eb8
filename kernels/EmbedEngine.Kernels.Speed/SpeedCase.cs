using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Speed;

/// <summary>One variant of a kernel bound to a case's operands: <see cref="SpeedCase.CallsPerRun"/> calls per <see cref="Run"/>.</summary>
/// <param name="Name">scalar, avx2, avx512, gpu, or an experimental variant's name.</param>
/// <param name="Experimental">Whether it comes from <see cref="ExperimentalVariants"/>.</param>
/// <param name="Run">The case's calls on its operands.</param>
public sealed record SpeedVariant(string Name, bool Experimental, Action Run);

/// <summary>One kernel at one shape: its operands, the work of one call, and every variant this machine runs bound to them.</summary>
public sealed class SpeedCase : IDisposable
{
    /// <summary>
    /// Calls per run for kernels of tens of nanoseconds (Dot at n=100 takes 3 to 10 ns with AVX): a run that loops over
    /// 256 calls lasts about a microsecond or more, so the run's own delegate call (a few ns) weighs well under 1%, as
    /// in BenchmarkDotNet's unrolled loop of 16 calls.
    /// </summary>
    public const int ShortKernelCalls = 256;

    private readonly IDisposable _operands;

    private SpeedCase(string kernel, string shape, Work work, int callsPerRun, IReadOnlyList<SpeedVariant> variants, IDisposable operands)
    {
        Kernel = kernel;
        Shape = shape;
        Work = work;
        CallsPerRun = callsPerRun;
        Variants = variants;
        _operands = operands;
    }

    /// <summary>The kernel family (<c>Dot</c>, <c>Sgemm</c>), as the harness and the experimental variants name it.</summary>
    public string Kernel { get; }

    /// <summary>The shape, e.g. <c>n=300</c>.</summary>
    public string Shape { get; }

    /// <summary>The work of one call.</summary>
    public Work Work { get; }

    /// <summary>Kernel calls one <see cref="SpeedVariant.Run"/> makes; a run's time is divided by it.</summary>
    public int CallsPerRun { get; }

    /// <summary>The reference first, then the vector variants this CPU supports, the experimental ones, and the GPU.</summary>
    public IReadOnlyList<SpeedVariant> Variants { get; }

    /// <summary>
    /// A case whose variants share the signature <typeparamref name="T"/>: the shipped ones this CPU supports and every
    /// registered experimental variant of <paramref name="kernel"/> that it supports, each bound by <paramref name="bind"/>.
    /// </summary>
    /// <param name="kernel">The kernel family.</param>
    /// <param name="shape">The shape, as shown.</param>
    /// <param name="work">The work of one call.</param>
    /// <param name="shipped">Scalar, AVX2 and AVX-512 variants, in <see cref="Isa"/> order.</param>
    /// <param name="bind">Turns a variant into a run of <paramref name="callsPerRun"/> calls on the operands.</param>
    /// <param name="operands">Freed with the case.</param>
    /// <param name="gpu">A run of the GPU variant (as many calls), waiting for it to finish; null without a GPU.</param>
    /// <param name="callsPerRun">Kernel calls in one run of <paramref name="bind"/>'s action (<see cref="ShortKernelCalls"/> for short kernels).</param>
    public static SpeedCase Of<T>(string kernel, string shape, Work work, (T Scalar, T Avx2, T Avx512) shipped, Func<T, Action> bind,
        IDisposable operands, Action? gpu = null, int callsPerRun = 1) where T : Delegate
    {
        var variants = new List<SpeedVariant>();
        foreach (Isa isa in IsaDispatch.Supported)
        {
            T function = isa switch { Isa.Avx512 => shipped.Avx512, Isa.Avx2 => shipped.Avx2, _ => shipped.Scalar };
            variants.Add(new SpeedVariant(isa.ToString().ToLowerInvariant(), false, bind(function)));
        }
        foreach (ExperimentalVariant experimental in ExperimentalVariants.Of(kernel))
            if (experimental.IsSupported)
                variants.Add(new SpeedVariant(experimental.Name, true, bind(experimental.As<T>())));
        if (gpu != null) variants.Add(new SpeedVariant("gpu", false, gpu));
        return new SpeedCase(kernel, shape, work, callsPerRun, variants, operands);
    }

    /// <summary>Frees the operands.</summary>
    public void Dispose() => _operands.Dispose();
}
