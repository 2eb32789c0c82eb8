using EmbedEngine.Models.Mlp;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// What the image–text evaluations need of a model: images and texts embedded into one space, row by row. Any
/// CLIP-like model (another architecture, a GPU build) that provides this is evaluated by the same code.
/// </summary>
public interface IImageTextModel
{
    /// <summary>Width of the shared space.</summary>
    int EmbeddingDimension { get; }

    /// <summary>The embeddings [images × <see cref="EmbeddingDimension"/>] of every image, as the model evaluates.</summary>
    float[] EmbedImages(IdxImages images);

    /// <summary>The embeddings [texts × <see cref="EmbeddingDimension"/>] of <paramref name="texts"/>.</summary>
    float[] EmbedTexts(IReadOnlyList<string> texts);
}
