namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Gradient clipping by global norm, as PyTorch's clip_grad_norm_: the L2 norm over every gradient together, and when
/// it exceeds the limit every gradient is scaled by limit / (norm + 10⁻⁶). The per-buffer sums of squares come from
/// <see cref="ReductionKernel"/> and the scaling from <see cref="ScaleKernel"/>, in the same variant.
/// </summary>
public static class GradientClipKernel
{
    /// <summary>Keeps the scale finite for a zero norm and leaves the clipped norm just under the limit (PyTorch's).</summary>
    public const float NormGuard = 1e-6f;

    /// <summary>Clips with the variant chosen at start-up; returns the norm before clipping.</summary>
    public static float ClipByGlobalNorm(ReadOnlySpan<FloatBuffer> gradients, float maxNorm) =>
        Clip(IsaDispatch.Active, gradients, maxNorm);

    /// <summary>Reference.</summary>
    public static float Scalar(ReadOnlySpan<FloatBuffer> gradients, float maxNorm) => Clip(Isa.Scalar, gradients, maxNorm);

    /// <summary>Vector256.</summary>
    public static float Avx2(ReadOnlySpan<FloatBuffer> gradients, float maxNorm) => Clip(Isa.Avx2, gradients, maxNorm);

    /// <summary>Vector512.</summary>
    public static float Avx512(ReadOnlySpan<FloatBuffer> gradients, float maxNorm) => Clip(Isa.Avx512, gradients, maxNorm);

    private static float Clip(Isa isa, ReadOnlySpan<FloatBuffer> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The norm limit must be positive.");
        // Buffers are summed in float by the kernel and across buffers in double, so a model with many small
        // tensors loses nothing to the order in which they come.
        double squares = 0;
        foreach (FloatBuffer gradient in gradients)
            squares += isa switch
            {
                Isa.Avx512 => ReductionKernel.SumOfSquaresAvx512(gradient.Span),
                Isa.Avx2 => ReductionKernel.SumOfSquaresAvx2(gradient.Span),
                _ => ReductionKernel.SumOfSquaresScalar(gradient.Span),
            };
        float norm = (float)Math.Sqrt(squares), scale = maxNorm / (norm + NormGuard);
        if (scale < 1f)
            foreach (FloatBuffer gradient in gradients)
                switch (isa)
                {
                    case Isa.Avx512: ScaleKernel.Avx512(scale, gradient.Span); break;
                    case Isa.Avx2: ScaleKernel.Avx2(scale, gradient.Span); break;
                    default: ScaleKernel.Scalar(scale, gradient.Span); break;
                }
        return norm;
    }
}
