using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Speed;

/// <summary>Seeded inputs for the speed suite and the BenchmarkDotNet classes, in the padded native layout the trainers use.</summary>
public static class BenchmarkData
{
    /// <summary>Seed shared by every benchmark, so runs compare like with like.</summary>
    private const int Seed = 2016;

    /// <summary>CLIP's initial logit scale 1/0.07, as its log.</summary>
    public static readonly float ClipInitialLogScale = MathF.Log(1f / 0.07f);

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

    /// <summary>
    /// <paramref name="rows"/> CSR rows of PPMI-like values in [0, 4) over <paramref name="columns"/> columns: a row holds
    /// <paramref name="longestRow"/>/m nonzeros for m uniform in 1..32 (about 130 on average at 1024), at random columns
    /// in ascending order, so a few rows are long (frequent words) and many short. (The PPMI matrix of the 2.2M-word
    /// acceptance corpus averages 320 per row.)
    /// </summary>
    public static (long[] RowStarts, int[] Columns, float[] Values) PpmiLikeRows(int rows, int columns, int longestRow)
    {
        var random = new Random(Seed);
        var rowStarts = new long[rows + 1];
        var picked = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            int length = longestRow / (1 + random.Next(32));
            var row = new SortedSet<int>();
            while (row.Count < length) row.Add(random.Next(columns));
            picked.AddRange(row);
            rowStarts[r + 1] = picked.Count;
        }
        var values = new float[picked.Count];
        for (int j = 0; j < values.Length; j++) values[j] = (float)random.NextDouble() * 4;
        return (rowStarts, [.. picked], values);
    }

    /// <summary>
    /// One InfoNCE batch: <paramref name="count"/> image rows and as many text rows of <paramref name="dimension"/>, each
    /// a contiguous one-row matrix of unit rows, each text row a noisy copy of its image row (so the loss is neither
    /// flat nor zero).
    /// </summary>
    public static unsafe (NativeMatrix Image, NativeMatrix Text) CaptionedPairs(int count, int dimension)
    {
        int floats = checked(count * dimension);
        NativeMatrix image = Matrix(1, floats, 1f, salt: 11), text = Matrix(1, floats, 1f, salt: 12);
        Span<float> images = image.Row(0), texts = text.Row(0);
        for (int i = 0; i < floats; i++) texts[i] = images[i] + 0.8f * texts[i];
        L2NormalizeKernel.Forward(images, L2NormalizeKernel.DefaultEpsilon, images, new float[count]);
        L2NormalizeKernel.Forward(texts, L2NormalizeKernel.DefaultEpsilon, texts, new float[count]);
        return (image, text);
    }
}
