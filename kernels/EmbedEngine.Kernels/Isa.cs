namespace EmbedEngine.Kernels;

/// <summary>The instruction-set variants every CPU kernel ships with.</summary>
public enum Isa
{
    /// <summary>Plain loops: the reference that defines each kernel's result.</summary>
    Scalar = 0,
    /// <summary>Vector256 with FMA (AVX2).</summary>
    Avx2 = 1,
    /// <summary>Vector512 (AVX-512F).</summary>
    Avx512 = 2,
}
