using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Tests.Classifier;

namespace EmbedEngine.Models.Tests.Quantization;

public sealed class ClassifierQuantizerTests
{
    /// <summary>Word bigrams in 1000 buckets give 1000 + 31 input rows, enough for 256 centroids.</summary>
    private static readonly ClassifierOptions Bigrams = new()
    {
        Dimension = 10, Epochs = 5, LearningRate = 0.5f, WordNgrams = 2, Buckets = 1000, Threads = 1, Seed = 3,
    };

    private static ClassifierModel Train(ScratchFolder folder, string text, ClassifierOptions options) =>
        ClassifierTrainer.Train(folder.Write("train.txt", text), options).Model;

    /// <summary>The top label of every line of <paramref name="text"/>.</summary>
    private static string[] TopLabels(ClassifierModel model, string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => model.Predict(line)[0].Label)];

    /// <summary>Share of positions where the two label lists agree.</summary>
    private static double Agreement(string[] a, string[] b) => a.Zip(b).Count(pair => pair.First == pair.Second) / (double)a.Length;

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    [InlineData(true, 4)]
    public void Quantized_input_predicts_as_the_dense_model(bool quantizeNorms, int dsub)
    {
        using var folder = new ScratchFolder();
        using ClassifierModel dense = Train(folder, LabelledCorpus.Text(lines: 600, seed: 1), Bigrams);
        string test = LabelledCorpus.Text(lines: 200, seed: 2);
        // Predicted before quantizing: -qnorm normalizes the dense input in place.
        string[] denseLabels = TopLabels(dense, test);
        using ClassifierModel quantized = ClassifierQuantizer.Quantize(dense,
            new QuantizationOptions { SubspaceDimension = dsub, QuantizeNorms = quantizeNorms });

        Assert.NotNull(quantized.QuantizedInput);
        Assert.Equal(dense.Dictionary.InputRows, quantized.Dictionary.InputRows);
        Assert.Throws<InvalidOperationException>(() => quantized.Input);
        Assert.InRange(Agreement(denseLabels, TopLabels(quantized, test)), 0.95, 1.0);
        ClassifierScore score = ClassifierEvaluation.Test(quantized, folder.Write("test.txt", test));
        Assert.InRange(score.Precision, 0.95, 1.0);
    }

    [Fact]
    public void Quantized_output_layer_predicts_as_the_dense_one()
    {
        using var folder = new ScratchFolder();
        string text = ManyLabels(lines: 1500, seed: 4);
        using ClassifierModel dense = Train(folder, text, Bigrams with { Epochs = 20 });
        Assert.True(dense.Dictionary.LabelCount >= 256, $"{dense.Dictionary.LabelCount} labels");
        string[] denseLabels = TopLabels(dense, text);
        using ClassifierModel quantized = ClassifierQuantizer.Quantize(dense,
            new QuantizationOptions { QuantizeOutput = true, QuantizeNorms = true });

        Assert.NotNull(quantized.Output.QuantizedWeights);
        Assert.InRange(Agreement(denseLabels, TopLabels(quantized, text)), 0.9, 1.0);
    }

    [Fact]
    public void Quantizing_few_labels_with_qout_is_refused_as_fastText_refuses_it()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel dense = Train(folder, LabelledCorpus.Text(lines: 300, seed: 1), Bigrams);
        var error = Assert.Throws<ArgumentException>(() => ClassifierQuantizer.Quantize(dense, new QuantizationOptions { QuantizeOutput = true }));
        Assert.Contains("at least 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cutoff_keeps_the_largest_rows_and_maps_their_buckets()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel dense = Train(folder, LabelledCorpus.Text(lines: 600, seed: 1), Bigrams);
        FastTextDictionary full = dense.FastText.Dictionary;
        int rows = dense.Dictionary.InputRows;
        const int Cutoff = 300;
        int[] largest = InputPruning.LargestNorms(full, dense.Input, Cutoff);
        float[] norms = [.. Enumerable.Range(0, rows).Select(r => MathF.Sqrt(DotKernel.Dot(dense.Input.Row(r), dense.Input.Row(r))))];
        float smallestKept = largest.Skip(1).Min(r => norms[r]);
        Assert.Equal(full.IdOf(LabelledLine.EndOfLine), largest[0]);
        Assert.DoesNotContain(Enumerable.Range(0, rows).Except(largest), r => norms[r] > smallestKept);

        (FastTextDictionary pruned, int[] sourceRows) = InputPruning.Prune(full, dense.Input, Cutoff);
        Assert.Equal(Cutoff, sourceRows.Length);
        Assert.Equal(largest.Order(), sourceRows.Order());
        // Kept words keep their order and come first; the labels follow them unchanged.
        Assert.Equal(sourceRows[..pruned.WordCount].Order(), sourceRows[..pruned.WordCount]);
        Assert.Equal(dense.Dictionary.Labels, pruned.Entries.Skip(pruned.WordCount));
        Assert.All(pruned.PrunedBuckets!, pair => Assert.Equal(full.WordCount + pair.Bucket, sourceRows[pruned.WordCount + pair.Row]));

        // Every feature of a line in the pruned dictionary is the row of a kept feature of the full dictionary.
        using ClassifierModel quantized = ClassifierQuantizer.Quantize(dense, new QuantizationOptions { Cutoff = Cutoff });
        foreach (string line in LabelledCorpus.Text(lines: 50, seed: 5).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            List<int> fullFeatures = [], prunedFeatures = [];
            dense.Dictionary.Encode(line, fullFeatures, []);
            quantized.Dictionary.Encode(line, prunedFeatures, []);
            int[] expected = [.. fullFeatures.Where(largest.Contains)];
            Assert.Equal(expected, prunedFeatures.Select(row => sourceRows[row]));
        }
    }

    [Fact]
    public void Retraining_the_pruned_model_keeps_it_accurate()
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 600, seed: 1));
        using ClassifierModel dense = ClassifierTrainer.Train(train, Bigrams).Model;
        using ClassifierModel quantized = ClassifierQuantizer.Quantize(dense, new QuantizationOptions
        {
            Cutoff = 256, Retrain = true, TrainingFile = train, Epochs = 2, LearningRate = 0.2f, Threads = 1, QuantizeNorms = true,
        });
        Assert.Equal(256, quantized.Dictionary.InputRows);
        // As fastText, the model records the retraining's epochs.
        Assert.Equal(2, quantized.FastText.Args.Epochs);
        ClassifierScore score = ClassifierEvaluation.Test(quantized, folder.Write("test.txt", LabelledCorpus.Text(lines: 200, seed: 2)));
        Assert.InRange(score.Precision, 0.95, 1.0);
    }

    [Theory]
    [InlineData(0, true, "x", 2, "needs -cutoff")]
    [InlineData(300, true, null, 2, "needs the labelled training file as -input")]
    [InlineData(0, false, null, 0, "dsub must be at least 1")]
    [InlineData(5000, false, null, 2, "larger than the model's 1031 input rows")]
    [InlineData(200, false, null, 2, "at least 256")]
    public void Bad_options_are_refused_with_their_reason(int cutoff, bool retrain, string? input, int dsub, string reason)
    {
        using var folder = new ScratchFolder();
        using ClassifierModel dense = Train(folder, LabelledCorpus.Text(lines: 300, seed: 1), Bigrams);
        var options = new QuantizationOptions { Cutoff = cutoff, Retrain = retrain, TrainingFile = input, SubspaceDimension = dsub };
        var error = Assert.Throws<ArgumentException>(() => ClassifierQuantizer.Quantize(dense, options));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>300 labels, each with its own four words, so the output layer has enough rows for 256 centroids.</summary>
    private static string ManyLabels(int lines, int seed)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder();
        for (int line = 0; line < lines; line++)
        {
            int label = line % 300;
            text.Append("__label__l").Append(label);
            for (int w = 0; w < 4; w++) text.Append(" w").Append(label).Append('_').Append(random.Next(4));
            text.Append('\n');
        }
        return text.ToString();
    }
}
