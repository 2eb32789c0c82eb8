using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class CaptionVocabularyTests
{
    [Fact]
    public void Build_keeps_first_appearance_order_after_the_two_special_ids()
    {
        var vocabulary = CaptionVocabulary.Build(["The digit seven, thin.", "a seven: THICK", "the 7 digit"]);
        Assert.Equal(["the", "digit", "seven", "thin", "a", "thick"], vocabulary.Words);
        Assert.Equal(8, vocabulary.Size);
        Assert.Equal(0, CaptionVocabulary.Unknown);
        Assert.Equal(1, CaptionVocabulary.EndOfText);
        Assert.Equal(2, CaptionVocabulary.FirstWord);
        Assert.Equal([2, 3, 4, 1], vocabulary.Encode("the digit seven", 32));
        Assert.Equal([7, 5, 1], vocabulary.Encode("thick thin", 32));
    }

    [Fact]
    public void Split_lowercases_and_keeps_only_runs_of_letters()
    {
        Assert.Equal(["an", "image", "of", "the", "number", "seven", "thick", "stroke", "x", "y"],
            CaptionVocabulary.Split("An IMAGE of the number 7seven: thick-stroke, x2y!"));
        Assert.Empty(CaptionVocabulary.Split("12, 34: -- !"));
        Assert.Empty(CaptionVocabulary.Split(""));
    }

    [Fact]
    public void Encode_maps_unseen_words_to_unknown_and_ends_with_end_of_text()
    {
        var vocabulary = new CaptionVocabulary(["a", "zero", "one"]);
        Assert.Equal([2, 0, 3, 1], vocabulary.Encode("A heavy ZERO", 10));
        Assert.Equal([1], vocabulary.Encode("", 10));
        Assert.Equal([1], vocabulary.Encode("3, 4", 10));
    }

    [Fact]
    public void Encoding_into_a_short_context_drops_the_last_words_and_keeps_end_of_text_last()
    {
        var vocabulary = new CaptionVocabulary(["a", "b", "c", "d"]);
        Assert.Equal([2, 3, 4, 5, 1], vocabulary.Encode("a b c d", 5));
        Assert.Equal([2, 3, 4, 1], vocabulary.Encode("a b c d", 4));
        Assert.Equal([2, 1], vocabulary.Encode("a b c d", 2));
        Assert.Equal([1], vocabulary.Encode("a b c d", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Encode("a", 0));
    }

    [Theory]
    [InlineData("zero", "zero")]
    [InlineData("Zero")]
    [InlineData("two words")]
    [InlineData("x1")]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    public void The_constructor_refuses_repeated_and_non_letter_words(params string[] words)
    {
        var e = Assert.Throws<ArgumentException>(() => new CaptionVocabulary(["one", .. words]));
        Assert.Equal("words", e.ParamName);
    }

    [Fact]
    public void The_constructor_takes_words_in_id_order()
    {
        var vocabulary = new CaptionVocabulary(["one", "zero"]);
        Assert.Equal(4, vocabulary.Size);
        Assert.Equal([3, 2, 1], vocabulary.Encode("zero one", 8));
    }
}
