using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class ImagePatchesTests
{
    private static readonly ClipConfig Config = TinyClip.Config(TinyClip.Vocabulary);

    /// <summary>Two 8×8 images with every pixel different: image i pixel (x, y) = 3·(8y + x) + i + 1 (no pixel is 0).</summary>
    private static IdxImages Gradients()
    {
        var pixels = new byte[2 * 64];
        for (int i = 0; i < 2; i++)
            for (int p = 0; p < 64; p++) pixels[i * 64 + p] = (byte)(3 * p + i + 1);
        return new IdxImages(pixels, 2, 8, 8);
    }

    private static float Standardized(byte pixel) => (pixel / 255f - ImagePatches.Mean) / ImagePatches.Deviation;

    private static float Background => -ImagePatches.Mean / ImagePatches.Deviation;

    /// <summary>Pixel (x, y) of the image in <paramref name="rows"/> (one image's rows), read back through the patch layout.</summary>
    private static float Pixel(ReadOnlySpan<float> rows, int x, int y)
    {
        int patch = y / 4 * 2 + x / 4;
        return rows[(1 + patch) * 16 + y % 4 * 4 + x % 4];
    }

    [Fact]
    public void The_rows_are_a_zero_class_row_then_the_standardized_patches_in_row_major_order()
    {
        IdxImages images = Gradients();
        Assert.Equal(5, Config.ImageTokens);
        Assert.Equal(16, Config.PatchPixels);
        var rows = new float[2 * 5 * 16];
        var random = new FastRandom(1);
        ImagePatches.Fill(Config, images, [1, 0], maxShift: 0, ref random, rows);
        for (int slot = 0; slot < 2; slot++)
        {
            int image = 1 - slot;
            ReadOnlySpan<float> one = rows.AsSpan(slot * 80, 80);
            Assert.All(one[..16].ToArray(), v => Assert.Equal(0f, v));
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                    Assert.Equal(Standardized(images.Pixels[image * 64 + y * 8 + x]), Pixel(one, x, y));
        }
        // Spelled out for the top-right patch (patch 1) of image 1 (slot 0): its first row is pixels (4..7, 0), its second (4..7, 1).
        Assert.Equal(Standardized(3 * 4 + 2), rows[2 * 16]);
        Assert.Equal(Standardized(3 * 7 + 2), rows[2 * 16 + 3]);
        Assert.Equal(Standardized(3 * 12 + 2), rows[2 * 16 + 4]);
        // Patch 2 (bottom left) of image 0 (slot 1) starts at pixel (0, 4).
        Assert.Equal(Standardized(3 * 32 + 1), rows[80 + 3 * 16]);
    }

    [Fact]
    public void Standardization_uses_the_mnist_mean_and_deviation()
    {
        var images = new IdxImages([0, 255, .. new byte[62]], 1, 8, 8);
        var rows = new float[80];
        var random = new FastRandom(1);
        ImagePatches.Fill(Config, images, [0], 0, ref random, rows);
        Assert.Equal(-0.1307f / 0.3081f, rows[16], 5);
        Assert.Equal((1 - 0.1307f) / 0.3081f, rows[17], 5);
    }

    /// <summary>The (dx, dy) in ±<paramref name="maxShift"/> for which <paramref name="rows"/> is the image moved right by dx and down by dy.</summary>
    private static List<(int Dx, int Dy)> MatchingShifts(ReadOnlySpan<float> rows, IdxImages images, int image, int maxShift)
    {
        var matches = new List<(int, int)>();
        for (int dy = -maxShift; dy <= maxShift; dy++)
            for (int dx = -maxShift; dx <= maxShift; dx++)
            {
                bool all = true;
                for (int y = 0; y < 8 && all; y++)
                    for (int x = 0; x < 8 && all; x++)
                    {
                        int sx = x - dx, sy = y - dy;
                        float expected = sx is >= 0 and < 8 && sy is >= 0 and < 8 ? Standardized(images.Pixels[image * 64 + sy * 8 + sx]) : Background;
                        all = Pixel(rows, x, y) == expected;
                    }
                if (all) matches.Add((dx, dy));
            }
        return matches;
    }

    [Fact]
    public void A_shift_moves_every_pixel_by_exactly_that_and_fills_the_border_with_background()
    {
        IdxImages images = Gradients();
        const int MaxShift = 2, Draws = 60;
        int[] indices = [.. Enumerable.Range(0, Draws).Select(i => i % 2)];
        var rows = new float[Draws * 80];
        var random = new FastRandom(12345);
        ImagePatches.Fill(Config, images, indices, MaxShift, ref random, rows);
        var shifts = new HashSet<(int, int)>();
        for (int i = 0; i < Draws; i++)
        {
            ReadOnlySpan<float> one = rows.AsSpan(i * 80, 80);
            Assert.All(one[..16].ToArray(), v => Assert.Equal(0f, v));
            List<(int Dx, int Dy)> matches = MatchingShifts(one, images, indices[i], MaxShift);
            Assert.True(matches.Count == 1, $"image slot {i} matches {matches.Count} shifts within ±{MaxShift}");
            shifts.Add(matches[0]);
        }
        // 60 uniform draws of 25 shifts: missing more than 8 has probability far below 1e-6.
        Assert.True(shifts.Count >= 17, $"only {shifts.Count} distinct shifts in {Draws} draws");
        Assert.Contains(shifts, s => s.Item1 != 0 && s.Item2 != 0);

        // The same generator state gives the same shifts and leaves the generator in the same state.
        var again = new float[rows.Length];
        var replay = new FastRandom(12345);
        ImagePatches.Fill(Config, images, indices, MaxShift, ref replay, again);
        Assert.Equal(rows, again);
        Assert.Equal(random.NextULong(), replay.NextULong());
        // A shift of at most 0 is no shift.
        var plain = new float[80];
        ImagePatches.Fill(Config, images, [0], 0, ref random, plain);
        Assert.Equal((0, 0), Assert.Single(MatchingShifts(plain, images, 0, 2)));
    }

    [Fact]
    public void Images_of_another_size_or_rows_of_the_wrong_length_are_refused()
    {
        var random = new FastRandom(1);
        var big = new IdxImages(new byte[2 * 100], 2, 10, 10);
        var e = Assert.Throws<ArgumentException>(() => ImagePatches.Fill(Config, big, [0], 0, ref random, new float[80]));
        Assert.Contains("10x10", e.Message, StringComparison.Ordinal);
        var wide = new IdxImages(new byte[2 * 80], 2, 8, 10);
        Assert.Throws<ArgumentException>(() => ImagePatches.Fill(Config, wide, [0], 0, ref random, new float[80]));
        IdxImages images = Gradients();
        Assert.Throws<ArgumentException>(() => ImagePatches.Fill(Config, images, [0, 1], 0, ref random, new float[80]));
        Assert.Throws<ArgumentException>(() => ImagePatches.Fill(Config, images, [0], 0, ref random, new float[81]));
    }
}
