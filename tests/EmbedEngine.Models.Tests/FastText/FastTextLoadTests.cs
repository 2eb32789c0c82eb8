using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>A model trained by fastText loads here and gives fastText's own vectors.</summary>
public sealed class FastTextLoadTests
{
    [Fact]
    public void Settings_and_dictionary_are_those_fastText_reports()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        Assert.Equal(new FastTextArgs
        {
            Dimension = 8, WindowSize = 5, Epochs = 1, MinCount = 5, NegativeSamples = 5, WordNgrams = 1,
            Loss = FastTextLoss.NegativeSampling, Model = FastTextModelKind.SkipGram, Buckets = 1000, MinN = 3, MaxN = 4,
            LearningRateUpdateRate = 100, SamplingThreshold = 1e-4,
        }, model.Args);
        Assert.Equal(FastTextFixture.Words, model.Dictionary.WordCount);
        Assert.Equal(0, model.Dictionary.LabelCount);
        // fastText's "dump dict" prints "the 2938 word" and "of 2121 word" first.
        Assert.Equal(("the", 2938L), (model.Dictionary.Entries[0], model.Dictionary.Count(0)));
        Assert.Equal(("of", 2121L), (model.Dictionary.Entries[1], model.Dictionary.Count(1)));
        Assert.Equal(FastTextFixture.Words + FastTextFixture.Buckets, model.Input.Rows);
        Assert.Equal(FastTextFixture.Words, model.Output.Rows);
    }

    [Fact]
    public void Vectors_of_seen_and_unseen_words_match_fastText_print_word_vectors()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        var expected = FastTextFixture.ExpectedVectors();
        Assert.Equal(30, expected.Count);
        Assert.Contains(expected, e => e.Word == "привет" && model.Dictionary.IdOf(e.Word) < 0);
        foreach ((string word, string[] printed, float[] values) in expected)
        {
            float[] actual = model.WordVector(word);
            // fastText prints five significant digits: within 1e-5, or half a unit of the last printed digit above 1.
            for (int j = 0; j < values.Length; j++)
                Assert.True(Math.Abs(actual[j] - values[j]) <= Math.Max(1e-5, HalfLastDigit(values[j])),
                    $"{word}[{j}]: {actual[j]} vs fastText's {printed[j]}");
            Assert.Equal(printed, actual.Select(FastTextNumberFormat.Format).ToArray());
        }
    }

    [Fact]
    public void End_of_sentence_has_no_ngrams_and_unseen_words_only_ngrams()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        int endOfSentence = model.Dictionary.IdOf(FastTextModel.EndOfSentence);
        Assert.Equal([endOfSentence], model.Subwords(FastTextModel.EndOfSentence));
        Assert.Equal(model.Input.Row(endOfSentence).ToArray(), model.WordVector(FastTextModel.EndOfSentence));
        // "<ab>" has the 3-grams "<ab" and "ab>" and the 4-gram "<ab>", all bucket rows.
        IReadOnlyList<int> unseen = model.Subwords("ab");
        Assert.Equal(3, unseen.Count);
        Assert.All(unseen, row => Assert.InRange(row, FastTextFixture.Words, FastTextFixture.Words + FastTextFixture.Buckets - 1));
        IReadOnlyList<int> seen = model.Subwords("the");
        Assert.Equal(0, seen[0]);
        Assert.Equal(1 + 5, seen.Count); // its row, then "<th", "the", "he>", "<the", "the>"
    }

    [Fact]
    public void Keyed_vectors_write_the_same_vec_file_as_fastText()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        using KeyedVectors vectors = model.ToKeyedVectors();
        using var folder = new ScratchFolder();
        string path = folder.File("ours.vec");
        VectorFile.Save(vectors, path, VectorFormat.FastTextVec);
        Assert.Equal(File.ReadAllBytes(FastTextFixture.VecPath), File.ReadAllBytes(path));
    }

    private static double HalfLastDigit(float printed) =>
        printed == 0 ? 0 : 0.5 * Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(printed))) - 4);
}
