using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using Xunit.Abstractions;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class ClipModelTests(ITestOutputHelper log)
{
    /// <summary>Captions of several lengths over four words, so padding and every token id take part.</summary>
    private static readonly string[] Captions = ["a zero", "a one", "the one", "zero", "one one a", "the zero one"];

    private static float[] Row(float[] matrix, int row, int width) => matrix.AsSpan(row * width, width).ToArray();

    private static double Norm(float[] row) => Math.Sqrt(row.Sum(v => (double)v * v));

    [Fact]
    public void Embeddings_are_unit_rows_of_the_shared_width()
    {
        using ClipModel model = TinyClip.Model();
        CaptionedDigits data = TinyClip.TwoClasses(5, seed: 1);
        float[] images = model.EmbedImages(data.Images);
        float[] texts = model.EmbedTexts(["a zero", "a one", "one zero zero a", "never seen words", ""]);
        Assert.Equal(5 * 8, images.Length);
        Assert.Equal(5 * 8, texts.Length);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(1.0, Norm(Row(images, i, 8)), 5);
            Assert.Equal(1.0, Norm(Row(texts, i, 8)), 5);
        }
        Assert.NotEqual(Row(images, 0, 8), Row(images, 1, 8));
        Assert.NotEqual(Row(texts, 0, 8), Row(texts, 1, 8));
        Assert.Empty(model.EmbedTexts([]));
        Assert.Equal(8, model.EmbeddingDimension);
    }

    [Fact]
    public void A_caption_embeds_the_same_alone_and_beside_longer_captions()
    {
        using ClipModel model = TinyClip.Model();
        float[] alone = model.EmbedTexts(["a one"]);
        float[] padded = model.EmbedTexts(["one zero a one zero", "a one", "zero"]);
        float[] first = model.EmbedTexts(["a one", "one zero a one zero"]);
        for (int j = 0; j < 8; j++)
        {
            Assert.Equal(alone[j], padded[8 + j], 5);
            Assert.Equal(alone[j], first[j], 5);
        }
        // The pooled row is the caption's own end-of-text token: a longer caption is another embedding.
        Assert.NotEqual(alone, model.EmbedTexts(["a one zero"]));
    }

    [Fact]
    public void An_image_embeds_the_same_alone_and_in_a_batch()
    {
        using ClipModel model = TinyClip.Model();
        CaptionedDigits data = TinyClip.TwoClasses(6, seed: 2);
        float[] all = model.EmbedImages(data.Images);
        var third = new EmbedEngine.Models.Mlp.IdxImages(data.Images.Pixels[(2 * 64)..(3 * 64)], 1, 8, 8);
        float[] alone = model.EmbedImages(third);
        for (int j = 0; j < 8; j++) Assert.Equal(alone[j], all[2 * 8 + j], 5);
    }

    [Fact]
    public void Embedding_leaves_the_training_mode_as_it_was()
    {
        using ClipModel model = TinyClip.Model();
        model.Train();
        model.EmbedTexts(["a one"]);
        model.EmbedImages(TinyClip.TwoClasses(2, 1).Images);
        Assert.True(model.IsTraining);
        model.Eval();
        model.EmbedTexts(["a one"]);
        Assert.False(model.IsTraining);
    }

    [Fact]
    public void A_vocabulary_of_another_size_than_the_configuration_is_refused()
    {
        CaptionVocabulary vocabulary = TinyClip.Vocabulary;
        ClipConfig config = TinyClip.Config(vocabulary) with { VocabularySize = vocabulary.Size + 1 };
        var e = Assert.Throws<ArgumentException>(() => new ClipModel(config, vocabulary, 1));
        Assert.Contains($"{vocabulary.Size + 1}", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ClipModel(TinyClip.Config(vocabulary) with { Patch = 3 }, vocabulary, 1));
        Assert.Throws<ArgumentException>(() => new ClipModel(TinyClip.Config(vocabulary) with { Heads = 3 }, vocabulary, 1));
    }

    [Fact]
    public void Parameters_are_named_visual_text_and_logit_scale()
    {
        using ClipModel model = TinyClip.Model();
        string[] names = [.. model.NamedParameters().Select(p => p.Key)];
        Assert.Contains("visual.patch_embedding.weight", names);
        Assert.Contains("visual.positions.weight", names);
        Assert.Contains("text.token_embedding.weight", names);
        Assert.Equal(1, names.Count(n => n == "logit_scale"));
        Assert.All(names.Where(n => n != "logit_scale"), n => Assert.True(n.StartsWith("visual.", StringComparison.Ordinal) || n.StartsWith("text.", StringComparison.Ordinal), n));
        Assert.Equal(MathF.Log(1 / 0.07f), model.LogScale.Item());
        Assert.Equal(1 / 0.07f, model.LogitScale, 3);
    }

    /// <summary>The whole model's loss against central differences for every parameter tensor (<see cref="ParameterGradientCheck"/>).</summary>
    [Fact]
    public void The_loss_gradient_matches_finite_differences_for_every_parameter_tensor()
    {
        CaptionVocabulary vocabulary = CaptionVocabulary.Build(Captions);
        using var model = new ClipModel(TinyClip.Config(vocabulary), vocabulary, seed: 11);
        TensorSettings.Threads = 1;
        int batch = Captions.Length;
        CaptionedDigits data = TinyClip.TwoClasses(batch, seed: 3);
        using Tensor patches = Tensor.Zeros(batch * model.Config.ImageTokens, model.Config.PatchPixels);
        var random = new FastRandom(4);
        ImagePatches.Fill(model.Config, data.Images, [.. Enumerable.Range(0, batch)], 1, ref random, patches.AsSpan());
        var text = new TextBatch([.. Captions.Select(c => vocabulary.Encode(c, model.Config.TextContext))]);
        // A scale of e^1 rather than 14 keeps the softmax away from saturation, where float differences lose the gradient.
        model.LogScale.AsSpan()[0] = 1f;

        ParameterGradientCheck.Check(model, () => model.Loss(patches, text), log.WriteLine);
    }
}
