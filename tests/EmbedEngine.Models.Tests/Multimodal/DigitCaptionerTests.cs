using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

public class DigitCaptionerTests
{
    private const int Side = 28;

    /// <summary>One 28×28 image with ink (255) where <paramref name="inked"/> says, 0 elsewhere.</summary>
    private static IdxImages Image(Func<int, int, bool> inked)
    {
        var pixels = new byte[Side * Side];
        for (int y = 0; y < Side; y++)
        for (int x = 0; x < Side; x++)
            pixels[y * Side + x] = inked(x, y) ? (byte)255 : (byte)0;
        return new IdxImages(pixels, 1, Side, Side);
    }

    [Fact]
    public void A_vertical_bar_is_upright_with_its_ink_and_width_counted()
    {
        DigitAttributes a = DigitAttributes.Measure(Image((x, y) => x is >= 12 and < 15 && y is >= 4 and < 24), 0, label: 1);
        Assert.Equal(1, a.Label);
        Assert.Equal(3 * 20, a.Ink);
        Assert.Equal(3, a.Width);
        Assert.Equal(0f, a.Slant, 6);
        Assert.Equal(1, DigitCaptioner.SlantClass(a));
    }

    [Fact]
    public void A_stroke_whose_top_is_to_the_right_leans_right_and_its_mirror_leans_left()
    {
        // x = 20 − y/2 along the stroke: one column left per two rows down.
        DigitAttributes right = DigitAttributes.Measure(Image((x, y) => y is >= 4 and < 24 && Math.Abs(x - (20 - y / 2)) <= 1), 0, 7);
        DigitAttributes left = DigitAttributes.Measure(Image((x, y) => y is >= 4 and < 24 && Math.Abs(x - (7 + y / 2)) <= 1), 0, 7);
        Assert.InRange(right.Slant, 0.4f, 0.6f);
        Assert.InRange(left.Slant, -0.6f, -0.4f);
        Assert.Equal(2, DigitCaptioner.SlantClass(right));
        Assert.Equal(0, DigitCaptioner.SlantClass(left));
    }

    [Fact]
    public void An_empty_image_has_no_ink()
    {
        Assert.Equal(new DigitAttributes(3, 0, 0f, 0), DigitAttributes.Measure(Image((_, _) => false), 0, 3));
    }

    /// <summary>Thirty digits per class with ink 100 … 129 and width 10 … 19 (each value three times).</summary>
    private static List<DigitAttributes> Training() =>
        [.. Enumerable.Range(0, 300).Select(i => new DigitAttributes(i % 10, 100 + i / 10, 0f, 10 + i / 30))];

    [Fact]
    public void Terciles_within_each_class_split_thickness_and_width_into_thirds()
    {
        DigitCaptioner captioner = DigitCaptioner.Fit(Training());
        int[] thickness = [.. Training().Select(captioner.ThicknessClass)];
        Assert.Equal([100, 100, 100], [thickness.Count(t => t == 0), thickness.Count(t => t == 1), thickness.Count(t => t == 2)]);
        Assert.Equal(0, captioner.WidthClass(new DigitAttributes(4, 110, 0f, 10)));
        Assert.Equal(2, captioner.WidthClass(new DigitAttributes(4, 110, 0f, 19)));
        Assert.Equal(2, captioner.ThicknessClass(new DigitAttributes(4, 500, 0f, 12)));
    }

    [Fact]
    public void Training_without_a_class_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => DigitCaptioner.Fit(Training().Where(a => a.Label != 6).ToList()));
        Assert.Contains("no digit 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Captions_are_deterministic_and_test_captions_name_every_attribute_in_unseen_frames()
    {
        DigitCaptioner captioner = DigitCaptioner.Fit(Training());
        var thick = new DigitAttributes(7, 129, 0.5f, 19);
        Assert.Empty(DigitCaptioner.TestTemplates.Intersect(DigitCaptioner.TrainingTemplates));
        int unseenWords = 0;
        for (int i = 0; i < 400; i++)
        {
            string test = captioner.Caption(thick, i, test: true);
            Assert.Equal(test, captioner.Caption(thick, i, test: true));
            Assert.Contains("seven", test, StringComparison.Ordinal);
            bool unseen = test.Contains("heavy", StringComparison.Ordinal);
            Assert.True(unseen || test.Contains("thick", StringComparison.Ordinal), test);
            Assert.True(test.Contains("broad", StringComparison.Ordinal) || test.Contains("wide", StringComparison.Ordinal), test);
            Assert.True(test.Contains("slanted right", StringComparison.Ordinal) || test.Contains("leaning right", StringComparison.Ordinal), test);
            if (unseen) unseenWords++;
            string training = captioner.Caption(thick, i, test: false);
            Assert.Contains("seven", training, StringComparison.Ordinal);
            Assert.DoesNotContain("heavy", training, StringComparison.Ordinal);
        }
        Assert.InRange(unseenWords, 70, 130); // a quarter of 400
        Assert.Equal("an image of the number seven: thick stroke, wide, leaning right",
            Enumerable.Range(0, 50).Select(i => captioner.Caption(thick, i, test: true)).First(c => c.StartsWith("an image", StringComparison.Ordinal) && c.Contains("thick", StringComparison.Ordinal)));
    }
}
