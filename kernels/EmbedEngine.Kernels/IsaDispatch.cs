using System.Runtime.Intrinsics.X86;

namespace EmbedEngine.Kernels;

/// <summary>
/// Chooses the kernel variant once, at start-up. The choice lives in a static readonly field so the JIT
/// folds every dispatch branch away in tiered code. <c>EMBED_ISA=scalar|avx2|avx512</c> forces one.
/// </summary>
public static class IsaDispatch
{
    /// <summary>The environment variable that forces a variant.</summary>
    public const string EnvironmentVariable = "EMBED_ISA";

    /// <summary>The variant every kernel entry point runs in this process.</summary>
    public static readonly Isa Active = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The fastest variant this CPU supports.</summary>
    public static Isa Best =>
        IsSupported(Isa.Avx512) ? Isa.Avx512 : IsSupported(Isa.Avx2) ? Isa.Avx2 : Isa.Scalar;

    /// <summary>Every variant this CPU can run, reference first.</summary>
    public static IReadOnlyList<Isa> Supported { get; } =
        [.. Enum.GetValues<Isa>().Where(IsSupported)];

    /// <summary>Whether this CPU can run <paramref name="isa"/>.</summary>
    public static bool IsSupported(Isa isa) => isa switch
    {
        Isa.Scalar => true,
        Isa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        Isa.Avx512 => Avx512F.IsSupported && Fma.IsSupported,
        _ => false,
    };

    /// <summary>Parses an <c>EMBED_ISA</c> value; null or empty picks the best supported variant.</summary>
    /// <exception cref="InvalidOperationException">The value is unknown or names a variant this CPU lacks.</exception>
    public static Isa Choose(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return Best;
        if (!Enum.TryParse(requested.Trim(), ignoreCase: true, out Isa isa) || !Enum.IsDefined(isa))
            throw new InvalidOperationException(
                $"{EnvironmentVariable}='{requested}' is not one of scalar, avx2, avx512.");
        if (!IsSupported(isa))
            throw new InvalidOperationException(
                $"{EnvironmentVariable}='{requested}' asks for {isa}, which this CPU does not support.");
        return isa;
    }
}
