namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// The shape of a CLIP-like model for small grayscale images: a vision transformer over square patches (a class
/// token first) and a causal text transformer over caption words pooled at the end-of-text token, both projected
/// into one embedding space. The defaults train to the figures on MNIST in minutes on two cores.
/// </summary>
public sealed record ClipConfig
{
    /// <summary>Image side in pixels (square images).</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Patch side in pixels; it must divide <see cref="ImageSize"/>.</summary>
    public int Patch { get; init; } = 7;

    /// <summary>Width of the image transformer.</summary>
    public int ImageDimension { get; init; } = 64;

    /// <summary>Blocks of the image transformer.</summary>
    public int ImageLayers { get; init; } = 3;

    /// <summary>Width of the text transformer.</summary>
    public int TextDimension { get; init; } = 64;

    /// <summary>Blocks of the text transformer.</summary>
    public int TextLayers { get; init; } = 2;

    /// <summary>Attention heads in every block of both encoders.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Width of the shared embedding space.</summary>
    public int EmbeddingDimension { get; init; } = 64;

    /// <summary>Longest caption in tokens, its end-of-text token included.</summary>
    public int TextContext { get; init; } = 32;

    /// <summary>Ids of the caption vocabulary, the unknown and end-of-text tokens included.</summary>
    public int VocabularySize { get; init; }

    /// <summary>Patches per image.</summary>
    public int Patches => ImageSize / Patch * (ImageSize / Patch);

    /// <summary>Image tokens: the class token, then the patches.</summary>
    public int ImageTokens => Patches + 1;

    /// <summary>Pixels per patch.</summary>
    public int PatchPixels => Patch * Patch;

    /// <summary>Throws <see cref="ArgumentException"/> when a size is out of range or the heads do not divide a width.</summary>
    public void Validate()
    {
        Positive(ImageSize, nameof(ImageSize));
        Positive(Patch, nameof(Patch));
        if (ImageSize % Patch != 0) throw new ArgumentException($"The patch side {Patch} does not divide the image side {ImageSize}.");
        Positive(ImageDimension, nameof(ImageDimension));
        Positive(ImageLayers, nameof(ImageLayers));
        Positive(TextDimension, nameof(TextDimension));
        Positive(TextLayers, nameof(TextLayers));
        Positive(Heads, nameof(Heads));
        Positive(EmbeddingDimension, nameof(EmbeddingDimension));
        if (TextContext < 2) throw new ArgumentException($"The text context must hold a word and the end-of-text token; it is {TextContext}.");
        if (VocabularySize < CaptionVocabulary.FirstWord)
            throw new ArgumentException($"The vocabulary has {VocabularySize} ids; it needs at least the unknown and end-of-text tokens.");
        if (ImageDimension % Heads != 0 || TextDimension % Heads != 0)
            throw new ArgumentException($"{Heads} heads must divide both widths ({ImageDimension} and {TextDimension}).");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"{name} must be positive; it is {value}.");
    }
}
