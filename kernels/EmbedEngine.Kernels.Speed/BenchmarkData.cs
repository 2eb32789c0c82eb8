namespace EmbedEngine.Kernels.Speed;

/// <summary>Seeded inputs for the speed suite and the BenchmarkDotNet classes, in the padded native layout the trainers use.</summary>
public static class BenchmarkData
{
    /// <summary>Seed shared by every benchmark, so runs compare like with like.</summary>
    private const int Seed = 2016;

    /// <summary>A padded matrix of uniform values in ±<paramref name="scale"/>.</summary>
    public static NativeMatrix Matrix(int rows, int columns, float scale = 0.5f, int salt = 0)
    {
        var random = new Random(Seed + salt);
        var m = NativeMatrix.Allocate(rows, columns, padRows: true);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = m.Row(r);
            for (int c = 0; c < row.Length; c++) row[c] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return m;
    }

    /// <summary><paramref name="count"/> distinct rows below <paramref name="rows"/>.</summary>
    public static int[] DistinctRows(int count, int rows, int salt = 0)
    {
        var random = new Random(Seed + salt);
        var picked = new HashSet<int>();
        while (picked.Count < count) picked.Add(random.Next(rows));
        return [.. picked];
    }

    /// <summary>A padded matrix of ones: AdaGrad's squared-gradient sums as GloVe starts them.</summary>
    public static NativeMatrix Ones(int rows, int columns)
    {
        var m = NativeMatrix.Allocate(rows, columns, padRows: true);
        for (int r = 0; r < rows; r++) m.Row(r).Fill(1f);
        return m;
    }

    /// <summary>
    /// <paramref name="count"/> co-occurrence entries over <paramref name="rows"/> words: a word, a context and a count,
    /// mostly small, some past GloVe's x_max of 100, as in a real co-occurrence matrix.
    /// </summary>
    public static (int[] Words, int[] Contexts, float[] Counts) CooccurrenceEntries(int count, int rows)
    {
        var random = new Random(Seed);
        int[] words = new int[count], contexts = new int[count];
        var counts = new float[count];
        for (int e = 0; e < count; e++)
        {
            words[e] = random.Next(rows);
            contexts[e] = random.Next(rows);
            counts[e] = (float)Math.Exp(random.NextDouble() * 6);
        }
        return (words, contexts, counts);
    }
}
