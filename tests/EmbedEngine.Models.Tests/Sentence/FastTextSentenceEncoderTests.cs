using System.Globalization;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Tests.FastText;

namespace EmbedEngine.Models.Tests.Sentence;

/// <summary>fastText's sentence vectors against what fastText's print-sentence-vectors printed for its own model.</summary>
public sealed class FastTextSentenceEncoderTests
{
    [Fact]
    public void Sentence_vectors_match_print_sentence_vectors_to_its_five_printed_digits()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        var encoder = new FastTextSentenceEncoder(model);
        string folder = Path.GetDirectoryName(FastTextFixture.ModelPath)!;
        string[] sentences = File.ReadAllLines(Path.Combine(folder, "sentences.txt"));
        string[] expected = File.ReadAllLines(Path.Combine(folder, "expected-sentence-vectors.txt"));
        Assert.Equal(5, sentences.Length);
        Assert.Equal(sentences.Length, expected.Length);
        var vector = new float[FastTextFixture.Dimension];
        for (int i = 0; i < sentences.Length; i++)
        {
            encoder.Encode(sentences[i], vector);
            float[] printed = [.. expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
            Assert.Equal(FastTextFixture.Dimension, printed.Length);
            for (int c = 0; c < printed.Length; c++)
                Assert.True(Math.Abs(printed[c] - vector[c]) <= 1e-5, $"sentence {i}, value {c}: fastText {printed[c]}, embed {vector[c]}");
        }
    }

    [Fact]
    public void A_classifiers_sentence_vectors_match_print_sentence_vectors()
    {
        string folder = Path.GetDirectoryName(FastTextFixture.ModelPath)!;
        using ClassifierModel classifier = ClassifierModel.Load(Path.Combine(folder, "spam-softmax.bin"));
        var encoder = new FastTextSentenceEncoder(classifier);
        string[] lines = File.ReadAllLines(Path.Combine(folder, "spam-test.txt"));
        string[] expected = File.ReadAllLines(Path.Combine(folder, "expected-spam-sentence-vectors.txt"));
        Assert.Equal(12, lines.Length);
        var vector = new float[encoder.Dimension];
        for (int i = 0; i < lines.Length; i++)
        {
            encoder.Encode(lines[i], vector);
            float[] printed = [.. expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
            for (int c = 0; c < printed.Length; c++)
                Assert.True(Math.Abs(printed[c] - vector[c]) <= 1e-5 + 1e-4 * Math.Abs(printed[c]), $"line {i}, value {c}: fastText {printed[c]}, embed {vector[c]}");
        }
        Assert.Throws<ArgumentException>(() => new FastTextSentenceEncoder(classifier.FastText));
    }
}
