using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

public sealed class PpmiSvdTrainerTests
{
    private static PpmiSvdOptions Small => new() { Svd = new RandomizedSvdOptions { Rank = 6, Threads = 1, Seed = 3 } };

    private static (CsrMatrix Counts, Vocabulary Vocabulary) Count(TopicCorpus corpus)
    {
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        return (CooccurrenceCounter.Count(corpus.Path, vocabulary, new CooccurrenceOptions { Window = 5 }), vocabulary);
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(0.0, true)]
    [InlineData(1.0, false)]
    public void Vectors_separate_the_two_topics(double eigenvalueWeighting, bool normalize)
    {
        using var corpus = new TopicCorpus(lines: 500);
        var (counts, vocabulary) = Count(corpus);
        var progress = new List<TrainingProgress>();

        PpmiSvdResult result = PpmiSvdTrainer.Train(counts, vocabulary,
            Small with { EigenvalueWeighting = eigenvalueWeighting, NormalizeRows = normalize }, progress.Add);
        using KeyedVectors vectors = result.Vectors;

        double within = (VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
        Assert.Equal(vocabulary.Words, vectors.Words);
        Assert.Equal(6, vectors.Dimension);
        Assert.Equal(6, result.SingularValues.Count);
        Assert.InRange(result.CapturedFraction, 0.01, 1.0 + 1e-6);
        // Six products (A·Ω, two power iterations of two, Aᵀ·Q), then the final snapshot.
        Assert.Equal(7, progress.Count);
        Assert.Equal(6 * result.PpmiNonZeros, progress[^1].WordsProcessed);
        Assert.Equal(progress[^1], result.Final);
    }

    [Fact]
    public void Weighting_and_normalization_shape_the_vectors()
    {
        using var corpus = new TopicCorpus(lines: 300);
        var (counts, vocabulary) = Count(corpus);
        PpmiSvdResult plain = PpmiSvdTrainer.Train(counts, vocabulary, Small with { EigenvalueWeighting = 0 });
        PpmiSvdResult full = PpmiSvdTrainer.Train(counts, vocabulary, Small with { EigenvalueWeighting = 1 });
        PpmiSvdResult unit = PpmiSvdTrainer.Train(counts, vocabulary, Small with { NormalizeRows = true });
        using KeyedVectors u = plain.Vectors, us = full.Vectors, normalized = unit.Vectors;

        for (int d = 0; d < 6; d++)
        {
            // U has orthonormal columns; U·Σ scales column d by σ_d.
            double column = 0;
            for (int w = 0; w < u.Count; w++) column += u.Vector(w)[d] * (double)u.Vector(w)[d];
            Assert.Equal(1, column, 1e-4);
            for (int w = 0; w < u.Count; w++)
                Assert.Equal(u.Vector(w)[d] * plain.SingularValues[d], us.Vector(w)[d], 1e-4);
        }
        for (int w = 0; w < normalized.Count; w++)
        {
            double norm = 0;
            foreach (float x in normalized.Vector(w)) norm += x * x;
            Assert.Equal(1, norm, 1e-5);
        }
    }

    [Fact]
    public void One_seed_is_deterministic()
    {
        using var corpus = new TopicCorpus(lines: 300);
        var (counts, vocabulary) = Count(corpus);
        float[] first = VectorMeasures.Flatten(PpmiSvdTrainer.Train(counts, vocabulary, Small).Vectors);
        float[] second = VectorMeasures.Flatten(PpmiSvdTrainer.Train(counts, vocabulary,
            Small with { Svd = Small.Svd with { Threads = 2 } }).Vectors);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_or_a_dimension_too_large_is_rejected()
    {
        using var corpus = new TopicCorpus(lines: 100);
        var (counts, vocabulary) = Count(corpus);
        Vocabulary other = Vocabulary.FromCounts([("x", 5), ("y", 3)]);

        var mismatch = Assert.Throws<ArgumentException>(() => PpmiSvdTrainer.Train(counts, other, Small));
        Assert.Equal("the vocabulary has 2 words but the co-occurrence matrix has 20 rows; use the vocabulary the matrix was counted with", mismatch.Message);
        var tooLarge = Assert.Throws<ArgumentException>(() =>
            PpmiSvdTrainer.Train(counts, vocabulary, Small with { Svd = Small.Svd with { Rank = 20 } }));
        Assert.Equal("the rank (dimension) 20 must be below the matrix's size 20 × 20 (fewer dimensions than words)", tooLarge.Message);
        var weighting = Assert.Throws<ArgumentException>(() =>
            PpmiSvdTrainer.Train(counts, vocabulary, Small with { EigenvalueWeighting = -0.5 }));
        Assert.Equal("the eigenvalue weighting (eig) must be in [0, 1], not -0.5", weighting.Message);
    }
}
