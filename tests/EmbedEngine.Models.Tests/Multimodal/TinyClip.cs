using EmbedEngine.Tests.Shared;
using System.Buffers.Binary;
using System.IO.Compression;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

/// <summary>Tiny CLIP configurations and synthetic 8×8 digit images for fast tests.</summary>
internal static class TinyClip
{
    public const int Side = 8;

    /// <summary>Two visually distinct classes, captioned by their class word.</summary>
    public static readonly string[] TwoClassCaptions = ["a zero", "a one"];

    /// <summary>8×8 images in 4×4 patches, both transformers 8 wide with one block of two heads, an 8-wide shared space.</summary>
    public static ClipConfig Config(CaptionVocabulary vocabulary, int textContext = 8) => new()
    {
        ImageSize = Side,
        Patch = 4,
        ImageDimension = 8,
        ImageLayers = 1,
        TextDimension = 8,
        TextLayers = 1,
        Heads = 2,
        EmbeddingDimension = 8,
        TextContext = textContext,
        VocabularySize = vocabulary.Size,
    };

    public static CaptionVocabulary Vocabulary => CaptionVocabulary.Build(TwoClassCaptions);

    public static ClipModel Model(int seed = 5) => new(Config(Vocabulary), Vocabulary, seed);

    /// <summary>
    /// Whether pixel (x, y) of class <paramref name="label"/> is ink: 0 is a ring, 1 a vertical bar, and the other
    /// classes a fixed pseudo-random third of the pixels each.
    /// </summary>
    public static bool Ink(int label, int x, int y) => label switch
    {
        0 => (x is 1 or 6 && y is >= 1 and <= 6) || (y is 1 or 6 && x is >= 1 and <= 6),
        1 => x is 3 or 4 && y is >= 1 and <= 6,
        _ => (uint)HashCode(label, x, y) % 3 == 0,
    };

    private static int HashCode(int label, int x, int y) => (label * 73856093) ^ (x * 19349663) ^ (y * 83492791);

    /// <summary><paramref name="labels"/>' images: ink 160–255, background 0–40, the noise drawn from <paramref name="seed"/>.</summary>
    public static IdxImages Images(IReadOnlyList<byte> labels, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[labels.Count * Side * Side];
        for (int i = 0; i < labels.Count; i++)
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    pixels[(i * Side + y) * Side + x] = (byte)(Ink(labels[i], x, y) ? 160 + random.Next(96) : random.Next(41));
        return new IdxImages(pixels, labels.Count, Side, Side);
    }

    /// <summary><paramref name="count"/> images alternating zero and one, captioned "a zero" and "a one".</summary>
    public static CaptionedDigits TwoClasses(int count, int seed)
    {
        byte[] labels = [.. Enumerable.Range(0, count).Select(i => (byte)(i % 2))];
        return new CaptionedDigits(Images(labels, seed), labels, [.. labels.Select(l => TwoClassCaptions[l])]);
    }



    /// <summary>Writes one split of every digit, <paramref name="perClass"/> images each (labels 0–9 cycling), into <paramref name="folder"/>.</summary>
    public static byte[] WriteSplit(string folder, string prefix, int perClass, int seed, bool gzip)
    {
        byte[] labels = [.. Enumerable.Range(0, 10 * perClass).Select(i => (byte)(i % 10))];
        IdxImages images = Images(labels, seed);
        byte[] imageFile = IdxBytes.Of(images.Pixels, images.Count, Side, Side), labelFile = IdxBytes.Of(labels, labels.Length);
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{suffix}"), gzip ? IdxBytes.Gzip(imageFile) : imageFile);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? IdxBytes.Gzip(labelFile) : labelFile);
        return labels;
    }
}

/// <summary>A scratch folder deleted after the test.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"embed-clip-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
