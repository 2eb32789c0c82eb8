using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// Cuts images into the rows a vision transformer's patch embedding multiplies in one GEMM: per image an all-zero
/// row for the class token (the embedding's bias plus position 0 make it a learned token), then each patch's
/// pixels row-major, patches in row-major order. Pixels are standardized by MNIST's mean and deviation; training
/// may shift each image by a few pixels, the vacated border becoming background.
/// </summary>
public static class ImagePatches
{
    /// <summary>MNIST's pixel mean on a 0–1 scale.</summary>
    public const float Mean = 0.1307f;

    /// <summary>MNIST's pixel deviation on a 0–1 scale.</summary>
    public const float Deviation = 0.3081f;

    /// <summary>
    /// Writes the patch rows of <paramref name="indices"/>' images into <paramref name="rows"/>
    /// ([indices × <see cref="ClipConfig.ImageTokens"/>, <see cref="ClipConfig.PatchPixels"/>]), each image moved by
    /// a uniform shift in ±<paramref name="maxShift"/> pixels on both axes drawn from <paramref name="random"/>.
    /// </summary>
    public static void Fill(ClipConfig config, IdxImages images, ReadOnlySpan<int> indices, int maxShift, ref FastRandom random, Span<float> rows)
    {
        if (images.Rows != config.ImageSize || images.Columns != config.ImageSize)
            throw new ArgumentException($"The images are {images.Rows}x{images.Columns}; the model takes {config.ImageSize}x{config.ImageSize}.");
        int perImage = config.ImageTokens * config.PatchPixels;
        if (rows.Length != indices.Length * perImage)
            throw new ArgumentException($"{rows.Length} floats of patch rows for {indices.Length} images of {perImage}.");
        for (int i = 0; i < indices.Length; i++)
        {
            int dx = maxShift > 0 ? random.NextInt(2 * maxShift + 1) - maxShift : 0;
            int dy = maxShift > 0 ? random.NextInt(2 * maxShift + 1) - maxShift : 0;
            FillOne(config, images, indices[i], dx, dy, rows.Slice(i * perImage, perImage));
        }
    }

    private static void FillOne(ClipConfig config, IdxImages images, int index, int dx, int dy, Span<float> rows)
    {
        int side = config.ImageSize, patch = config.Patch, perRow = side / patch;
        ReadOnlySpan<byte> pixels = images.Pixels.AsSpan(index * images.PixelsPerImage, images.PixelsPerImage);
        float background = -Mean / Deviation;
        rows[..config.PatchPixels].Clear();
        for (int p = 0; p < config.Patches; p++)
        {
            Span<float> row = rows.Slice((p + 1) * config.PatchPixels, config.PatchPixels);
            int top = p / perRow * patch, left = p % perRow * patch;
            for (int r = 0; r < patch; r++)
            {
                int sourceRow = top + r - dy;
                for (int c = 0; c < patch; c++)
                {
                    int sourceColumn = left + c - dx;
                    bool inside = (uint)sourceRow < (uint)side && (uint)sourceColumn < (uint)side;
                    row[r * patch + c] = inside ? (pixels[sourceRow * side + sourceColumn] / 255f - Mean) / Deviation : background;
                }
            }
        }
    }
}
