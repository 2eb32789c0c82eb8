namespace EmbedEngine.Vectors.Tests;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<VectorFormat> AllFormats() =>
        [VectorFormat.Word2VecText, VectorFormat.Word2VecBinary, VectorFormat.FastTextVec, VectorFormat.Native, VectorFormat.GloVeText];

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Save_then_load_gives_the_same_words_and_values(VectorFormat format)
    {
        using var original = TestVectors.Random(count: 50, dimension: 13);
        string path = _folder.File("vectors." + format);
        VectorFile.Save(original, path, format);

        foreach (VectorFormat? readAs in new VectorFormat?[] { format, null })
        {
            using var loaded = VectorFile.Load(path, readAs);
            Assert.Equal(original.Words, loaded.Words);
            Assert.Equal(original.Dimension, loaded.Dimension);
            for (int row = 0; row < original.Count; row++)
            {
                ReadOnlySpan<float> expected = original.Vector(row), actual = loaded.Vector(row);
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(Math.Abs(expected[j] - actual[j]) <= Tolerance(format, expected[j]),
                        $"{format}: row {row} value {j}: {expected[j]} came back as {actual[j]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void An_empty_vocabulary_round_trips(VectorFormat format)
    {
        if (format == VectorFormat.GloVeText) return; // GloVe has no header, so an empty file cannot state a dimension.
        using var empty = new KeyedVectors([], Kernels.NativeMatrix.Allocate(0, 4));
        string path = _folder.File("empty." + format);
        VectorFile.Save(empty, path, format);
        using var loaded = VectorFile.Load(path, format);
        Assert.Equal(0, loaded.Count);
        Assert.Equal(4, loaded.Dimension);
    }

    [Fact]
    public void A_loaded_native_file_answers_queries_like_the_original()
    {
        using var original = TestVectors.Random(count: 40, dimension: 8);
        string path = _folder.File("v.eev");
        VectorFile.Save(original, path, VectorFormat.Native);
        using var mapped = VectorFile.Load(path);
        Assert.Equal(original.MostSimilar("café", 5), mapped.MostSimilar("café", 5));
    }

    /// <summary>
    /// Binary layouts are exact. word2vec and GloVe print six decimals (absolute error up to 5e-7, plus the float
    /// rounding of the parsed value); fastText prints five significant digits (relative error up to 5e-5).
    /// </summary>
    private static float Tolerance(VectorFormat format, float value) => format switch
    {
        VectorFormat.Word2VecBinary or VectorFormat.Native => 0f,
        VectorFormat.FastTextVec => 5e-5f * Math.Abs(value),
        _ => 5e-7f + 1.2e-7f * Math.Abs(value),
    };
}
