namespace EmbedEngine.Kernels;

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
    private const float SaturatedLoss = 6.0025f;

    private static readonly float[] SigmoidTable = BuildSigmoidTable();
    private static readonly float[] LogSigmoidTable = BuildLogSigmoidTable();

    /// <summary>Exact 1 / (1 + e^-x).</summary>
    public static float Exact(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The gradient scale (label - sigmoid(x)), from the table or exact.</summary>
    public static float Residual(float x, float label, bool exact)
    {
        if (exact) return label - Exact(x);
        if (x >= MaxInput) return label - 1f;
        if (x <= -MaxInput) return label;
        return label - SigmoidTable[Index(x)];
    }

    /// <summary>-log sigmoid(x) for label 1 or -log sigmoid(-x) for label 0: the logistic loss of one prediction.</summary>
    public static float Loss(float x, float label, bool exact)
    {
        float z = label > 0.5f ? x : -x;
        if (exact) return MathF.Log(1f + MathF.Exp(-z));
        if (z >= MaxInput) return 0f;
        if (z <= -MaxInput) return SaturatedLoss;
        return LogSigmoidTable[Index(z)];
    }

    /// <summary>
    /// Table slot of x in (-MaxInput, MaxInput). Just below MaxInput, x + MaxInput rounds up to 2·MaxInput in float
    /// and the slot to TableSize (word2vec.c allocates one spare entry for this); the clamp keeps it in the table.
    /// </summary>
    private static int Index(float x) => Math.Min((int)((x + MaxInput) * TableScale), TableSize - 1);

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
