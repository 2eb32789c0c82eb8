using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class DigitPromptsTests
{
    [Fact]
    public void A_template_without_attribute_slots_is_one_prompt()
    {
        Assert.Equal(["a handwritten seven"], DigitCaptioner.Prompts("a handwritten {digit}", 7));
        Assert.Equal(["zero"], DigitCaptioner.Prompts("{digit}", 0));
    }

    [Fact]
    public void One_slot_gives_three_prompts_in_word_order()
    {
        Assert.Equal(["a thin nine", "a medium nine", "a thick nine"], DigitCaptioner.Prompts("a {thickness} {digit}", 9));
        Assert.Equal(["a narrow two", "a regular two", "a wide two"], DigitCaptioner.Prompts("a {width} {digit}", 2));
    }

    [Fact]
    public void Three_slots_give_every_combination_once()
    {
        string[] prompts = [.. DigitCaptioner.Prompts("{thickness} {width} {digit} {slant}", 4)];
        Assert.Equal(27, prompts.Length);
        Assert.Equal(27, prompts.Distinct().Count());
        Assert.All(prompts, p => Assert.DoesNotContain("{", p, StringComparison.Ordinal));
        Assert.All(prompts, p => Assert.Contains(" four ", p, StringComparison.Ordinal));
        Assert.Contains("thin narrow four leaning left", prompts);
        Assert.Contains("medium regular four upright", prompts);
        Assert.Contains("thick wide four leaning right", prompts);
        Assert.Equal(9, prompts.Count(p => p.StartsWith("thick ", StringComparison.Ordinal)));
        Assert.Equal(9, prompts.Count(p => p.EndsWith(" upright", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_training_templates_give_59_prompts_per_digit()
    {
        // 1 + 1 + 3 + 9 + 9 + 9 + 27: each template multiplied by three per slot it names.
        Assert.Equal(59, DigitCaptioner.TrainingTemplates.Sum(t => DigitCaptioner.Prompts(t, 3).Count()));
    }

    [Fact]
    public void A_template_without_digit_or_a_digit_out_of_range_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => DigitCaptioner.Prompts("a {thickness} number", 1).ToList());
        Assert.Contains("{digit}", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitCaptioner.Prompts("{digit}", 10).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitCaptioner.Prompts("{digit}", -1).ToList());
    }
}
