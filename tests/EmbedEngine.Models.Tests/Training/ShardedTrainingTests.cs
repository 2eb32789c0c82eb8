using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.Training;

/// <summary>The learning-rate schedule of <see cref="ShardedTraining"/>, counted in words or in sentences.</summary>
public sealed class ShardedTrainingTests
{
    /// <summary>Records each sentence's first word and the rate it is trained at.</summary>
    private sealed class Recorder : ISentenceWorker
    {
        public List<float> Rates { get; } = [];

        public List<int> FirstWords { get; } = [];

        public double LossSum => 0;

        public long Predictions => 0;

        public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate)
        {
            Rates.Add(learningRate);
            FirstWords.Add(sentence[0]);
        }
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
            var recorder = new Recorder();

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

    [Theory]
    [InlineData(64, 2, 1, false, 64)]
    [InlineData(64, 1, 2, false, 64)] // ranks of one thread interleave too, not one contiguous half each
    [InlineData(64, 2, 2, false, 64)]
    [InlineData(64, 1, 1, false, 1)] // one reader in all: the corpus in order
    [InlineData(64, 1, 2, true, 1)] // gzip: dealt out line by line already
    [InlineData(1, 2, 2, false, 1)]
    public void Blocks_per_thread_interleave_every_reader_of_a_job(int requested, int threads, int ranks, bool gzip, int expected) =>
        Assert.Equal(expected, ShardedTraining.BlocksPerThread(requested, threads, ranks, gzip));

    [Fact]
    public void Blocks_go_in_corpus_order_to_whichever_thread_is_free_and_give_every_line_once()
    {
        // 200 one-word lines w0..w199 of equal length: 2 threads × 8 blocks of 12-13 lines, dealt one at a time.
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, 200).Select(i => $"w{i:D3}"));
            Vocabulary vocabulary = Vocabulary.Build(path, minCount: 1, maxSize: 0);
            var schedule = new ShardedSchedule("test", Epochs: 1, Threads: 2, MaxSentenceLength: 10, StartingLearningRate: 1f, Seed: 1,
                BlocksPerThread: 8);
            Recorder[] workers = TrainWithRecorders(path, vocabulary, schedule);

            int[] lines(Recorder worker) => [.. worker.FirstWords.Select(id => int.Parse(vocabulary.Words[id].AsSpan(1)))];
            Assert.Equal(Enumerable.Range(0, 200), workers.SelectMany(lines).Order());
            foreach (Recorder worker in workers)
                Assert.Equal(lines(worker).Order(), lines(worker));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Counting_sentences_blocks_read_whole_lines_so_the_sentences_trained_are_those_counted()
    {
        // 40 lines of 500 words, each starting with its own word, over 2 threads × 16 blocks: most blocks start
        // inside a line, which must then be read whole by the block it starts in, never cut into two sentences.
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, 40).Select(i => $"l{i:D2} " + string.Join(' ', Enumerable.Repeat("x", 499))));
            Vocabulary vocabulary = Vocabulary.Build(path, minCount: 1, maxSize: 0);
            var schedule = new ShardedSchedule("test", Epochs: 1, Threads: 2, MaxSentenceLength: 1000, StartingLearningRate: 1f, Seed: 1,
                LearningRateDecay.Sentences, BlocksPerThread: 16);
            Recorder[] workers = TrainWithRecorders(path, vocabulary, schedule);

            string[] firstWords = [.. workers.SelectMany(w => w.FirstWords).Select(id => vocabulary.Words[id]).Order()];
            Assert.Equal(Enumerable.Range(0, 40).Select(i => $"l{i:D2}"), firstWords);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs the schedule with one <see cref="Recorder"/> a thread; returns them in the order they were made.</summary>
    private static Recorder[] TrainWithRecorders(string path, Vocabulary vocabulary, ShardedSchedule schedule)
    {
        var workers = new Recorder[schedule.Threads];
        int created = 0;
        new ShardedTraining(path, vocabulary, schedule).Execute(_ =>
        {
            var worker = new Recorder();
            workers[Interlocked.Increment(ref created) - 1] = worker;
            return worker;
        }, null, TimeSpan.FromSeconds(1), CancellationToken.None);
        return workers;
    }

    [Fact]
    public void Initial_range_scales_the_starting_input_vectors()
    {
        using var narrow = new Word2VecWeights(50, 40, negativeSampling: true, hierarchicalSoftmax: false, seed: 3, initialRange: 0.5f);
        using var wide = new Word2VecWeights(50, 40, negativeSampling: true, hierarchicalSoftmax: false, seed: 3, initialRange: 1f);
        for (int r = 0; r < 50; r++)
        {
            float[] a = narrow.Input.Row(r).ToArray(), b = wide.Input.Row(r).ToArray();
            Assert.All(a, v => Assert.InRange(v, -0.5f / 40, 0.5f / 40));
            for (int c = 0; c < a.Length; c++) Assert.Equal(2 * a[c], b[c], 1e-7f);
        }
    }

    [Fact]
    public void Word2vec_trains_as_gensim_by_default_and_as_word2vec_c_on_request()
    {
        var defaults = new Word2VecOptions();
        Assert.Equal(LearningRateDecay.Sentences, defaults.Decay);
        Assert.Equal(10_000, defaults.MaxSentenceLength);
        Assert.Equal(SigmoidMode.SkipSaturated, defaults.Sigmoid);
        Assert.Equal(1f, defaults.InitialRange);
        Assert.Equal(64, defaults.Interleave);

        Word2VecOptions word2vecC = defaults with { Dimension = 7 };
        word2vecC = word2vecC.WithWord2VecCTraining();
        Assert.Equal(LearningRateDecay.Words, word2vecC.Decay);
        Assert.Equal(1000, word2vecC.MaxSentenceLength);
        Assert.Equal(SigmoidMode.Table, word2vecC.Sigmoid);
        Assert.Equal(0.5f, word2vecC.InitialRange);
        Assert.Equal(1, word2vecC.Interleave);
        Assert.Equal(7, word2vecC.Dimension);
    }
}
