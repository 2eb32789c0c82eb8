namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// fastText's logistic lookup table (Loss::sigmoid: 513 entries over [-8, 8], saturating outside), which its
/// one-vs-all classifier scores labels with. It differs from the exact sigmoid by up to about 0.008, so a
/// fastText model only predicts the same probabilities through the same table.
/// </summary>
internal static class FastTextSigmoidTable
{
    private const int TableSize = 512;
    private const int MaxInput = 8;

    private static readonly float[] Table = Build();

    public static float Sigmoid(float x)
    {
        if (x < -MaxInput) return 0f;
        if (x > MaxInput) return 1f;
        return Table[(long)((x + MaxInput) * TableSize / MaxInput / 2)];
    }

    private static float[] Build()
    {
        var table = new float[TableSize + 1];
        for (int i = 0; i <= TableSize; i++)
        {
            float x = (float)(i * 2 * MaxInput) / TableSize - MaxInput;
            table[i] = (float)(1.0 / (1.0 + MathF.Exp(-x)));
        }
        return table;
    }
}
