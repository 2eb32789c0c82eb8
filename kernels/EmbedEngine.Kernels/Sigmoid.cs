namespace EmbedEngine.Kernels;

/// <summary>What a logistic update does with its score: word2vec.c's table, gensim's table, or the exact σ.</summary>
public enum SigmoidMode
{
    /// <summary>
    /// word2vec.c's table over [-6, 6], clamped to 0 or 1 beyond: a saturated wrong prediction takes the full
    /// gradient (label − 0 or label − 1).
    /// </summary>
    Table,

    /// <summary>
    /// gensim's table: as <see cref="Table"/> inside (-6, 6), but a score at or beyond ±6 makes no update at all,
    /// right or wrong (gensim's word2vec_inner.pyx <c>continue</c>s there).
    /// </summary>
    SkipSaturated,

    /// <summary>The exact 1 / (1 + e^-x), with no table and no saturation.</summary>
    Exact,
}

/// <summary>
/// The logistic function as word2vec uses it: a lookup table over [-6, 6] with saturation outside, or exact.
/// The table trades a little accuracy for a load instead of an exp in the innermost training loop.
/// </summary>
public static class Sigmoid
{
    /// <summary>Beyond ±6 the table saturates to 0 or 1, as in word2vec.c (MAX_EXP).</summary>
    public const float MaxInput = 6f;

    /// <summary>Entries over [-MaxInput, MaxInput], as in word2vec.c (EXP_TABLE_SIZE).</summary>
    public const int TableSize = 1000;

    private const float TableScale = TableSize / MaxInput / 2f;

    /// <summary>Loss reported for a saturated wrong prediction: -log(sigmoid(-6)) rounded up.</summary>
    internal const float SaturatedLoss = 6.0025f;

    /// <summary>σ at the table points; the GPU kernels read a device copy (<see cref="Gpu.SigmoidGpu"/>).</summary>
    internal static readonly float[] SigmoidTable = BuildSigmoidTable();

    /// <summary>-log σ at the table points; the GPU kernels read a device copy.</summary>
    internal static readonly float[] LogSigmoidTable = BuildLogSigmoidTable();

    /// <summary>Exact 1 / (1 + e^-x).</summary>
    public static float Exact(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The gradient scale (label - sigmoid(x)) as <paramref name="mode"/> has it; 0 where it skips.</summary>
    public static float Residual(float x, float label, SigmoidMode mode)
    {
        if (mode == SigmoidMode.Exact) return label - Exact(x);
        if (x >= MaxInput) return mode == SigmoidMode.Table ? label - 1f : 0f;
        if (x <= -MaxInput) return mode == SigmoidMode.Table ? label : 0f;
        return label - SigmoidTable[Index(x)];
    }

    /// <summary>
    /// -log sigmoid(x) for label 1 or -log sigmoid(-x) for label 0: the logistic loss of one prediction. Both table
    /// modes report the table's loss, skipped predictions included, so their losses stay comparable.
    /// </summary>
    public static float Loss(float x, float label, SigmoidMode mode)
    {
        float z = label > 0.5f ? x : -x;
        if (mode == SigmoidMode.Exact) return MathF.Log(1f + MathF.Exp(-z));
        if (z >= MaxInput) return 0f;
        if (z <= -MaxInput) return SaturatedLoss;
        return LogSigmoidTable[Index(z)];
    }

    /// <summary>
    /// Table slot of x in (-MaxInput, MaxInput). Just below MaxInput, x + MaxInput rounds up to 2·MaxInput in float
    /// and the slot to TableSize (word2vec.c allocates one spare entry for this); the clamp keeps it in the table.
    /// </summary>
    internal static int Index(float x) => Math.Min((int)((x + MaxInput) * TableScale), TableSize - 1);

    private static float[] BuildSigmoidTable()
    {
        var table = new float[TableSize];
        for (int i = 0; i < TableSize; i++)
        {
            float e = MathF.Exp((i / (float)TableSize * 2f - 1f) * MaxInput);
            table[i] = e / (e + 1f);
        }
        return table;
    }

    private static float[] BuildLogSigmoidTable()
    {
        var table = new float[TableSize];
        for (int i = 0; i < TableSize; i++)
        {
            float x = (i / (float)TableSize * 2f - 1f) * MaxInput;
            table[i] = MathF.Log(1f + MathF.Exp(-x));
        }
        return table;
    }
}
