using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using Xunit.Abstractions;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class ClipTrainerTests(ITestOutputHelper log)
{
    private static ClipTrainingOptions Options(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        LearningRate = 1e-2f,
        WarmupSteps = 2,
        MaxShift = 1,
        UnknownWordRate = 0.1f,
        Threads = 1,
        Seed = 3,
    };

    /// <summary>The loss of the first 8 images (4 of each class, no shift), with their captions.</summary>
    private static double FixedBatchLoss(ClipModel model, CaptionedDigits data)
    {
        const int Batch = 8;
        using Tensor patches = Tensor.Zeros(Batch * model.Config.ImageTokens, model.Config.PatchPixels);
        var random = new FastRandom(0);
        ImagePatches.Fill(model.Config, data.Images, [.. Enumerable.Range(0, Batch)], 0, ref random, patches.AsSpan());
        var text = new TextBatch([.. data.Captions.Take(Batch).Select(c => model.Vocabulary.Encode(c, model.Config.TextContext))]);
        double loss;
        using (Graph.NoGrad()) loss = model.Loss(patches, text).Item();
        Graph.Current.Release();
        return loss;
    }

    /// <summary>Zero-shot accuracy with the class captions as prompts.</summary>
    private static double ZeroShot(ClipModel model, CaptionedDigits data)
    {
        float[] images = model.EmbedImages(data.Images), classes = model.EmbedTexts(TinyClip.TwoClassCaptions);
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            float zero = 0, one = 0;
            for (int j = 0; j < 8; j++)
            {
                zero += images[i * 8 + j] * classes[j];
                one += images[i * 8 + j] * classes[8 + j];
            }
            if ((one > zero ? 1 : 0) == data.Labels[i]) correct++;
        }
        return (double)correct / data.Count;
    }

    [Fact]
    public void A_few_epochs_on_two_distinct_classes_lower_the_loss_to_the_tie_bound_and_separate_them()
    {
        CaptionedDigits data = TinyClip.TwoClasses(32, seed: 7);
        using ClipModel model = TinyClip.Model(seed: 2);
        double before = FixedBatchLoss(model, data);
        var reports = new List<TrainingProgress>();
        ClipTrainingOptions options = Options(epochs: 20) with { LearningRate = 5e-3f, MaxShift = 0, UnknownWordRate = 0f };
        TrainingProgress final = ClipTrainer.Train(model, data, options, reports.Add, TimeSpan.Zero, CancellationToken.None);
        double after = FixedBatchLoss(model, data);
        log.WriteLine($"fixed batch {before:F4} -> {after:F4}; step losses {reports[0].Loss:F4} -> {reports[^2].Loss:F4}; logit scale {model.LogitScale:F2}");

        // 4 steps of 8 per epoch; every step reported (interval zero), then the final report.
        Assert.Equal(20 * 4 + 1, reports.Count);
        Assert.Same(final, reports[^1]);
        Assert.Equal(20L * 32, final.WordsProcessed);
        Assert.Equal(20L * 32, final.TotalWords);
        Assert.Equal(20, final.Epoch);
        Assert.Equal(model.LogitScale, final.LogitScale, 5);
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss)));

        // A batch of 8 holds four captions of each kind, which tie: the loss cannot fall below ln 4 (1.386), while a
        // model that maps everything to one point scores ln 8 (2.079). Training gets close to the bound.
        Assert.True(after < before - 0.5, $"fixed-batch loss {before:F4} -> {after:F4}");
        Assert.InRange(after, Math.Log(4) - 1e-3, Math.Log(4) + 0.15);
        Assert.InRange(reports[^2].Loss, Math.Log(4) - 1e-3, Math.Log(4) + 0.15);
        Assert.True(reports[0].Loss > Math.Log(4) + 0.5, $"first step loss {reports[0].Loss}");
        Assert.Equal(1.0, ZeroShot(model, data));
    }

    [Fact]
    public void The_same_seed_repeats_exactly_and_another_differs()
    {
        CaptionedDigits data = TinyClip.TwoClasses(16, seed: 8);
        float[][] Train(int seed)
        {
            using ClipModel model = TinyClip.Model(seed: 4);
            TrainingProgress final = ClipTrainer.Train(model, data, Options(epochs: 2) with { Seed = seed }, null, TimeSpan.Zero, CancellationToken.None);
            Assert.True(double.IsFinite(final.Loss));
            return [.. model.Parameters().Select(p => p.ToArray())];
        }
        float[][] first = Train(3), second = Train(3), other = Train(4);
        using ClipModel untrained = TinyClip.Model(seed: 4);
        float[][] initial = [.. untrained.Parameters().Select(p => p.ToArray())];
        Assert.Equal(first.Length, second.Length);
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
        Assert.Contains(Enumerable.Range(0, first.Length), i => !first[i].SequenceEqual(other[i]));
        for (int i = 0; i < first.Length; i++) Assert.False(first[i].SequenceEqual(initial[i]), $"parameter {i} did not move");
    }

    [Fact]
    public void A_batch_larger_than_the_training_set_is_refused()
    {
        CaptionedDigits data = TinyClip.TwoClasses(6, seed: 1);
        using ClipModel model = TinyClip.Model();
        var e = Assert.Throws<ArgumentException>(() =>
            ClipTrainer.Train(model, data, Options(1) with { BatchSize = 7 }, null, TimeSpan.Zero, CancellationToken.None));
        Assert.Contains("7", e.Message, StringComparison.Ordinal);
        Assert.Contains("6", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() =>
            ClipTrainer.Train(model, data, Options(1) with { BatchSize = 1 }, null, TimeSpan.Zero, CancellationToken.None));
        Assert.Throws<ArgumentException>(() =>
            ClipTrainer.Train(model, data, Options(0), null, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public void The_whole_set_as_one_batch_trains()
    {
        CaptionedDigits data = TinyClip.TwoClasses(6, seed: 1);
        using ClipModel model = TinyClip.Model();
        TrainingProgress final = ClipTrainer.Train(model, data, Options(2) with { BatchSize = 6 }, null, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(12L, final.WordsProcessed);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        CaptionedDigits data = TinyClip.TwoClasses(16, seed: 1);
        using ClipModel model = TinyClip.Model();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            ClipTrainer.Train(model, data, Options(1), null, TimeSpan.Zero, cancelled.Token));
    }
}
