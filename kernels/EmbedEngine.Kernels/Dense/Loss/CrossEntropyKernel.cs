using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Cross-entropy of integer targets over logits [rows, columns], fused with its log-softmax: the mean over counted
/// rows of ln Σ e^(x − max) − (x_target − max), and its gradient (softmax − one-hot) / counted rows. A row whose
/// target is the ignore index counts for nothing and gets a zero gradient, as in PyTorch.
/// </summary>
public static unsafe class CrossEntropyKernel
{
    /// <summary>PyTorch's default ignore index: a value no class takes.</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>Returns the mean loss (0 when every row is ignored) and writes dL/dlogits, with the variant chosen at start-up.</summary>
    /// <param name="logits">Scores [rows, columns].</param>
    /// <param name="targets">One class per row, in [0, columns) or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">Receives dL/dlogits [rows, columns]; it must not overlap the logits.</param>
    /// <param name="columns">Classes per row.</param>
    /// <param name="ignoreIndex">The target value of rows left out of the loss.</param>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, int columns,
        int ignoreIndex = DefaultIgnoreIndex) => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(logits, targets, gradient, columns, ignoreIndex),
            Isa.Avx2 => Avx2(logits, targets, gradient, columns, ignoreIndex),
            _ => Scalar(logits, targets, gradient, columns, ignoreIndex),
        };

    /// <summary>Reference.</summary>
    public static float Scalar(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, int columns, int ignoreIndex)
    {
        int counted = Check(logits.Length, targets, gradient.Length, columns, ignoreIndex);
        double total = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            ReadOnlySpan<float> xr = logits.Slice(r * columns, columns);
            Span<float> gr = gradient.Slice(r * columns, columns);
            if (targets[r] == ignoreIndex)
            {
                gr.Clear();
                continue;
            }
            float max = float.NegativeInfinity;
            for (int c = 0; c < columns; c++) max = Math.Max(max, xr[c]);
            float sum = 0f;
            for (int c = 0; c < columns; c++) sum += MathF.Exp(xr[c] - max);
            total += MathF.Log(sum) - (xr[targets[r]] - max);
            for (int c = 0; c < columns; c++) gr[c] = MathF.Exp(xr[c] - max) / sum / counted;
            gr[targets[r]] -= 1f / counted;
        }
        return counted == 0 ? 0f : (float)(total / counted);
    }

    /// <summary>Vector256.</summary>
    public static float Avx2(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, int columns, int ignoreIndex) =>
        Vectorized<Simd256, Vector256<float>>(logits, targets, gradient, columns, ignoreIndex);

    /// <summary>Vector512.</summary>
    public static float Avx512(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, int columns, int ignoreIndex) =>
        Vectorized<Simd512, Vector512<float>>(logits, targets, gradient, columns, ignoreIndex);

    /// <summary>Checks shapes and targets before anything is written; returns the number of counted rows.</summary>
    private static int Check(int logits, ReadOnlySpan<int> targets, int gradient, int columns, int ignoreIndex)
    {
        int rows = RowMajor.Rows(logits, columns);
        RowMajor.Length("targets", targets.Length, rows);
        RowMajor.Length("gradient", gradient, logits);
        int counted = 0;
        foreach (int target in targets)
        {
            if (target == ignoreIndex) continue;
            if ((uint)target >= (uint)columns)
                throw new ArgumentOutOfRangeException(nameof(targets), target,
                    $"A target must be a class below {columns} or the ignore index {ignoreIndex}.");
            counted++;
        }
        return counted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Vectorized<TSimd, TVec>(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient,
        int columns, int ignoreIndex)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int counted = Check(logits.Length, targets, gradient.Length, columns, ignoreIndex);
        double total = 0;
        fixed (float* px = logits, pg = gradient)
            for (int r = 0; r < targets.Length; r++)
            {
                float* xr = px + (nint)r * columns, gr = pg + (nint)r * columns;
                int target = targets[r];
                if (target == ignoreIndex)
                {
                    new Span<float>(gr, columns).Clear();
                    continue;
                }
                float max = SimdLoop<TSimd, TVec>.Max(xr, columns);
                float sum = SimdLoop<TSimd, TVec>.StoreExpAndSum(xr, gr, columns, max);
                total += MathF.Log(sum) - (xr[target] - max);
                SimdLoop<TSimd, TVec>.Columns(columns, new ScaleKernel.Step<TSimd, TVec>(TSimd.Create(1f / (sum * counted)), gr));
                gr[target] -= 1f / counted;
            }
        return counted == 0 ? 0f : (float)(total / counted);
    }
}
