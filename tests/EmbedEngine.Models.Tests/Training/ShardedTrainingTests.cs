using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.Training;

/// <summary>The learning-rate schedule of <see cref="ShardedTraining"/>, counted in words or in sentences.</summary>
public sealed class ShardedTrainingTests
{
    /// <summary>Records the rate each sentence is trained at.</summary>
    private sealed class RateRecorder : ISentenceWorker
    {
        public List<float> Rates { get; } = [];

        public double LossSum => 0;

        public long Predictions => 0;

        public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate) => Rates.Add(learningRate);
    }

    [Theory]
    [InlineData(LearningRateDecay.Words, 0.5f)]
    [InlineData(LearningRateDecay.Sentences, 0.98f)]
    public void After_one_long_line_of_half_the_words_the_rate_has_fallen_by_what_the_decay_counts(LearningRateDecay decay, float expected)
    {
        // One line of 50,000 words, then 50 lines of 1,000: half the words, but one sentence in 51.
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, string.Join(' ', Enumerable.Repeat("a", 50_000)) + "\n"
                + string.Concat(Enumerable.Repeat(string.Join(' ', Enumerable.Repeat("b", 1_000)) + "\n", 50)));
            Vocabulary vocabulary = Vocabulary.Build(path, minCount: 1, maxSize: 0);
            var schedule = new ShardedSchedule("test", Epochs: 1, Threads: 1, MaxSentenceLength: 50_000, StartingLearningRate: 1f,
                Seed: 1, decay);
            var recorder = new RateRecorder();

            new ShardedTraining(path, vocabulary, schedule).Execute(_ => recorder, null, TimeSpan.FromSeconds(1), CancellationToken.None);

            Assert.Equal(51, recorder.Rates.Count);
            Assert.Equal(1f, recorder.Rates[0]);
            Assert.Equal(expected, recorder.Rates[1], 0.01f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Initial_range_scales_the_starting_input_vectors()
    {
        using var narrow = new Word2VecWeights(50, 40, negativeSampling: true, hierarchicalSoftmax: false, seed: 3);
        using var wide = new Word2VecWeights(50, 40, negativeSampling: true, hierarchicalSoftmax: false, seed: 3, initialRange: 1f);
        for (int r = 0; r < 50; r++)
        {
            float[] a = narrow.Input.Row(r).ToArray(), b = wide.Input.Row(r).ToArray();
            Assert.All(a, v => Assert.InRange(v, -0.5f / 40, 0.5f / 40));
            for (int c = 0; c < a.Length; c++) Assert.Equal(2 * a[c], b[c], 1e-7f);
        }
    }

    [Fact]
    public void Word2vec_defaults_stay_word2vec_c_s()
    {
        var defaults = new Word2VecOptions();
        Assert.Equal(LearningRateDecay.Words, defaults.Decay);
        Assert.Equal(0.5f, defaults.InitialRange);
        Assert.Equal(1000, defaults.MaxSentenceLength);
    }
}
