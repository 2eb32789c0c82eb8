using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// A CLIP-like image–text model: an <see cref="ImageEncoder"/> and a <see cref="TextEncoder"/> into one space, and
/// the learned log logit scale t (CLIP's ln(1/0.07) to start, the scale e^t capped at 100). Parameters are named
/// visual.*, text.* and logit_scale.
/// </summary>
public sealed class ClipModel : Module, IImageTextModel
{
    /// <summary>Images or captions embedded per forward pass when embedding a whole set.</summary>
    public const int EmbeddingBatch = 256;

    /// <summary>A model of <paramref name="config"/>'s shape over <paramref name="vocabulary"/>, initialized from <paramref name="seed"/>.</summary>
    public ClipModel(ClipConfig config, CaptionVocabulary vocabulary, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (config.VocabularySize != vocabulary.Size)
            throw new ArgumentException($"The configuration has {config.VocabularySize} token ids but the vocabulary {vocabulary.Size}.");
        config.Validate();
        Config = config;
        Vocabulary = vocabulary;
        var random = new Random(seed);
        Image = Child("visual", new ImageEncoder(config, random));
        Text = Child("text", new TextEncoder(config, random));
        LogScale = Parameter("logit_scale", Tensor.Full(MathF.Log(1f / 0.07f), 1));
    }

    /// <summary>The sizes.</summary>
    public ClipConfig Config { get; }

    /// <summary>The caption words.</summary>
    public CaptionVocabulary Vocabulary { get; }

    /// <inheritdoc/>
    public int EmbeddingDimension => Config.EmbeddingDimension;

    /// <summary>The image encoder.</summary>
    public ImageEncoder Image { get; }

    /// <summary>The text encoder.</summary>
    public TextEncoder Text { get; }

    /// <summary>t, one element; the logit scale is min(e^t, 100).</summary>
    public Tensor LogScale { get; }

    /// <summary>The logit scale now.</summary>
    public float LogitScale => MathF.Min(MathF.Exp(LogScale.Item()), InfoNceKernel.ClipMaxScale);

    /// <summary>CLIP's symmetric InfoNCE loss of images cut into <paramref name="patches"/> and their captions <paramref name="text"/>.</summary>
    public Tensor Loss(Tensor patches, TextBatch text) => Loss(patches, text, ranks: null, firstPair: 0);

    /// <summary>
    /// The loss of a whole batch of which this rank of a data-parallel job embeds the pairs from
    /// <paramref name="firstPair"/> on (<paramref name="patches"/> and <paramref name="text"/>), the other ranks' embeddings
    /// gathered by <paramref name="ranks"/> (null: one process, the pairs are the batch).
    /// </summary>
    public Tensor Loss(Tensor patches, TextBatch text, GatheredRows? ranks, int firstPair)
    {
        ArgumentNullException.ThrowIfNull(text);
        Tensor images = Ops.L2Normalize(Image.Forward(patches, text.Batch));
        Tensor captions = Ops.L2Normalize(Text.Forward(text));
        if (ranks != null) (images, captions) = (ranks.Of(images, firstPair), ranks.Of(captions, firstPair));
        return Ops.InfoNce(images, captions, LogScale);
    }

    /// <summary>Not a CLIP model's entry point: call <see cref="Loss(Tensor, TextBatch)"/>, <see cref="EmbedImages"/> or <see cref="EmbedTexts"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A CLIP model takes images and captions: call Loss, EmbedImages or EmbedTexts.");

    /// <summary>The normalized embeddings [images × E] of every image, row by row, as the model evaluates (no shift).</summary>
    public float[] EmbedImages(IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int dimension = Config.EmbeddingDimension, perImage = Config.ImageTokens * Config.PatchPixels;
        var embeddings = new float[(long)images.Count * dimension];
        int[] order = Enumerable.Range(0, images.Count).ToArray();
        var unused = new FastRandom(0);
        Evaluate(() =>
        {
            for (int start = 0; start < images.Count; start += EmbeddingBatch)
            {
                int rows = Math.Min(EmbeddingBatch, images.Count - start);
                using (Graph.NoGrad())
                {
                    using Tensor patches = Tensor.Zeros(rows * Config.ImageTokens, Config.PatchPixels);
                    ImagePatches.Fill(Config, images, order.AsSpan(start, rows), maxShift: 0, ref unused, patches.AsSpan());
                    Ops.L2Normalize(Image.Forward(patches, rows)).CopyTo(embeddings.AsSpan(start * dimension, rows * dimension));
                }
                Graph.Current.Release();
            }
        });
        return embeddings;
    }

    /// <summary>The normalized embeddings [texts × E] of <paramref name="texts"/>, row by row.</summary>
    public float[] EmbedTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        int dimension = Config.EmbeddingDimension;
        var embeddings = new float[(long)texts.Count * dimension];
        Evaluate(() =>
        {
            for (int start = 0; start < texts.Count; start += EmbeddingBatch)
            {
                int rows = Math.Min(EmbeddingBatch, texts.Count - start);
                var encoded = new int[rows][];
                for (int r = 0; r < rows; r++) encoded[r] = Vocabulary.Encode(texts[start + r], Config.TextContext);
                using (Graph.NoGrad())
                    Ops.L2Normalize(Text.Forward(new TextBatch(encoded))).CopyTo(embeddings.AsSpan(start * dimension, rows * dimension));
                Graph.Current.Release();
            }
        });
        return embeddings;
    }

    /// <summary>Runs <paramref name="work"/> in evaluation mode, then restores the mode the model was in.</summary>
    private void Evaluate(Action work)
    {
        bool training = IsTraining;
        Eval();
        try
        {
            work();
        }
        finally
        {
            if (training) Train();
        }
    }
}
