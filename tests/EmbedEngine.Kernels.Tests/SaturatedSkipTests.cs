using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="SigmoidMode.SkipSaturated"/> in every variant: a target scored at or beyond ±6, right or wrong, moves
/// neither its row nor the hidden gradient (gensim's <c>continue</c>), where <see cref="SigmoidMode.Table"/> gives a
/// wrong one the full gradient; a target inside (-6, 6) still learns.
/// </summary>
public unsafe class SaturatedSkipTests
{
    private const int Dim = 37;
    private const float LearningRate = 0.05f;

    /// <summary>Each variant this CPU runs.</summary>
    public static TheoryData<Isa> Variants() => [.. IsaDispatch.Supported];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logistic_update_leaves_saturated_targets_and_the_gradient_untouched(Isa isa)
    {
        // A wrong negative at +9, a wrong true word at −9, a right negative at −20: all skipped.
        float[] scores = [9f, -9f, -20f];
        float[] labels = [0f, 1f, 0f];
        var (hidden, w) = RowsScoring(scores, new Random(1));
        var grad = new float[Dim];
        Array.Fill(grad, 0.25f);
        float[] before = (float[])w.Clone(), gradBefore = (float[])grad.Clone();

        float loss = Logistic(isa, hidden, w, [0, 1, 2], labels, grad, SigmoidMode.SkipSaturated);

        Assert.Equal(before, w);
        Assert.Equal(gradBefore, grad);
        Assert.Equal(2 * 6.0025f, loss, 4);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logistic_update_still_moves_a_target_inside_the_table(Isa isa)
    {
        var (hidden, w) = RowsScoring([9f, 0.5f], new Random(2));
        var grad = new float[Dim];
        float[] before = (float[])w.Clone();

        Logistic(isa, hidden, w, [0, 1], [0f, 1f], grad, SigmoidMode.SkipSaturated);

        Assert.Equal(before.AsSpan(0, Dim).ToArray(), w.AsSpan(0, Dim).ToArray());
        Assert.NotEqual(before.AsSpan(Dim, Dim).ToArray(), w.AsSpan(Dim, Dim).ToArray());
        Assert.Contains(grad, g => g != 0f);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Clamped_table_gives_a_saturated_wrong_target_the_full_gradient(Isa isa)
    {
        var (hidden, w) = RowsScoring([9f], new Random(3));
        float[] before = (float[])w.Clone();
        var grad = new float[Dim];

        Logistic(isa, hidden, w, [0], [0f], grad, SigmoidMode.Table);

        // label 0, σ clamped to 1: g = −lr, so grad = −lr·row and row −= lr·hidden.
        for (int c = 0; c < Dim; c++)
        {
            Assert.Equal(-LearningRate * before[c], grad[c], 6);
            Assert.Equal(before[c] - LearningRate * hidden[c], w[c], 6);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Batched_sgns_leaves_saturated_pairs_untouched(Isa isa)
    {
        // The true word at −9 and negatives at +9 and −20 against one context row listed twice.
        var (input, output) = RowsScoring([-9f, 9f, -20f], new Random(4));
        float[] inputBefore = (float[])input.Clone(), outputBefore = (float[])output.Clone();
        int[] inputRows = [0, 0], outputRows = [0, 1, 2];
        var scratch = new float[BatchedSgnsKernel.ScratchLength(inputRows.Length, outputRows.Length, Dim)];
        BatchedSgnsFn update = KernelCases.Pick<BatchedSgnsFn>(isa, BatchedSgnsKernel.Update, BatchedSgnsKernel.Scalar,
            BatchedSgnsKernel.Avx2, BatchedSgnsKernel.Avx512);

        fixed (float* c = input, o = output)
            update(c, Dim, inputRows, o, Dim, outputRows, Dim, LearningRate, scratch, SigmoidMode.SkipSaturated);

        Assert.Equal(inputBefore, input);
        Assert.Equal(outputBefore, output);
    }

    private static float Logistic(Isa isa, float[] hidden, float[] w, int[] targets, float[] labels, float[] grad, SigmoidMode mode)
    {
        LogisticFn update = KernelCases.Pick<LogisticFn>(isa, LogisticUpdateKernel.Update, LogisticUpdateKernel.Scalar,
            LogisticUpdateKernel.Avx2, LogisticUpdateKernel.Avx512);
        fixed (float* output = w) return update(hidden, new OutputRows(output, Dim), targets, labels, LearningRate, grad, mode);
    }

    /// <summary>A random vector h and rows h·score/|h|², one per score, so h·row is the score up to rounding.</summary>
    private static (float[] Hidden, float[] Rows) RowsScoring(float[] scores, Random rng)
    {
        var hidden = new float[Dim];
        for (int c = 0; c < Dim; c++) hidden[c] = (float)(rng.NextDouble() * 2 - 1);
        double norm = hidden.Sum(h => (double)h * h);
        var rows = new float[scores.Length * Dim];
        for (int j = 0; j < scores.Length; j++)
            for (int c = 0; c < Dim; c++) rows[j * Dim + c] = (float)(hidden[c] * scores[j] / norm);
        return (hidden, rows);
    }
}
