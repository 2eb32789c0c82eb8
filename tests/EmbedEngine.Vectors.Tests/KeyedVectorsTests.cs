using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors.Tests;

public class KeyedVectorsTests
{
    [Fact]
    public void Exposes_words_vectors_and_indices()
    {
        using var vectors = TestVectors.Create(("a", [1, 2, 3]), ("b", [4, 5, 6]));
        Assert.Equal(2, vectors.Count);
        Assert.Equal(3, vectors.Dimension);
        Assert.Equal(["a", "b"], vectors.Words);
        Assert.Equal(1, vectors.IndexOf("b"));
        Assert.Equal(-1, vectors.IndexOf("B"));
        Assert.Equal([4f, 5, 6], vectors.Vector("b").ToArray());
        Assert.Equal([1f, 2, 3], vectors.Vector(0).ToArray());
    }

    [Fact]
    public void Unknown_word_throws_KeyNotFoundException_naming_it()
    {
        using var vectors = TestVectors.Create(("a", [1, 2]));
        var error = Assert.Throws<KeyNotFoundException>(() => vectors.Vector("zebra"));
        Assert.Contains("zebra", error.Message);
    }

    [Fact]
    public void Duplicate_words_are_refused()
    {
        using var matrix = NativeMatrix.Allocate(2, 2);
        var error = Assert.Throws<ArgumentException>(() => new KeyedVectors(["x", "x"], matrix));
        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Row_count_must_match_word_count()
    {
        using var matrix = NativeMatrix.Allocate(3, 2);
        Assert.Throws<ArgumentException>(() => new KeyedVectors(["x", "y"], matrix));
    }

    [Fact]
    public void Words_cannot_be_modified_through_the_list()
    {
        using var vectors = TestVectors.Create(("a", [1f]));
        Assert.False(vectors.Words is string[]);
    }

    [Fact]
    public void Padded_matrices_are_read_by_row()
    {
        var matrix = NativeMatrix.Allocate(2, 3, padRows: true);
        matrix.Row(1)[2] = 7;
        using var vectors = new KeyedVectors(["a", "b"], matrix);
        Assert.Equal([0f, 0, 7], vectors.Vector(1).ToArray());
        Assert.Equal(0f, vectors.Similarity("a", "b")); // a is a zero vector: cosine defined as 0
    }

    [Fact]
    public void Unit_vectors_and_cosine_scores()
    {
        using var vectors = TestVectors.Create(("a", [3, 4]), ("b", [0, 2]), ("c", [-5, 0]));
        var unit = new float[2];
        vectors.UnitVector(0, unit);
        Assert.Equal(0.6f, unit[0], 1e-6f);
        Assert.Equal(0.8f, unit[1], 1e-6f);
        var scores = new float[2];
        vectors.CosineScores(unit, 1, scores);
        Assert.Equal(0.8f, scores[0], 1e-6f);
        Assert.Equal(-0.6f, scores[1], 1e-6f);
        Assert.Throws<ArgumentOutOfRangeException>(() => vectors.CosineScores(unit, 2, new float[2]));
        Assert.Throws<ArgumentException>(() => vectors.CosineScores(new float[3], 0, scores));
    }

    [Fact]
    public void FromRows_refuses_ragged_rows_and_no_rows()
    {
        var ragged = Assert.Throws<ArgumentException>(() => KeyedVectors.FromRows([("a", [1f, 2f]), ("b", [1f])]));
        Assert.Contains("Row 1 ('b') has 1 values", ragged.Message);
        Assert.Throws<ArgumentException>(() => KeyedVectors.FromRows([]));
    }
}
