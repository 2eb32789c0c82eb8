using EmbedEngine.Models.Mlp;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// What a caption can say about one handwritten digit, measured on its pixels (ink is a pixel of at least
/// <see cref="InkLevel"/>): the class, the ink pixel count (stroke thickness), the slant (the second-order moment
/// μ11/μ02 of the ink's intensity, sign flipped so that a top leaning right is positive, since image rows grow
/// downwards), and the width of the ink's bounding box.
/// </summary>
public readonly record struct DigitAttributes(int Label, int Ink, float Slant, int Width)
{
    /// <summary>The least pixel value counted as ink.</summary>
    public const byte InkLevel = 128;

    /// <summary>Measures image <paramref name="index"/> of <paramref name="images"/>.</summary>
    public static DigitAttributes Measure(IdxImages images, int index, int label)
    {
        ArgumentNullException.ThrowIfNull(images);
        ReadOnlySpan<byte> pixels = images.Pixels.AsSpan(index * images.PixelsPerImage, images.PixelsPerImage);
        int ink = 0, left = images.Columns, right = -1;
        double mass = 0, sumX = 0, sumY = 0;
        for (int y = 0; y < images.Rows; y++)
        for (int x = 0; x < images.Columns; x++)
        {
            byte p = pixels[y * images.Columns + x];
            mass += p;
            sumX += p * x;
            sumY += p * y;
            if (p < InkLevel) continue;
            ink++;
            left = Math.Min(left, x);
            right = Math.Max(right, x);
        }
        if (mass == 0) return new DigitAttributes(label, 0, 0f, 0);
        double meanX = sumX / mass, meanY = sumY / mass, mu11 = 0, mu02 = 0;
        for (int y = 0; y < images.Rows; y++)
        for (int x = 0; x < images.Columns; x++)
        {
            byte p = pixels[y * images.Columns + x];
            mu11 += p * (x - meanX) * (y - meanY);
            mu02 += p * (y - meanY) * (y - meanY);
        }
        float slant = mu02 == 0 ? 0f : (float)(-mu11 / mu02);
        return new DigitAttributes(label, ink, slant, right < 0 ? 0 : right - left + 1);
    }
}
