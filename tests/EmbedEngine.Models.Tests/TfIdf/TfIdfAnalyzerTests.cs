using EmbedEngine.Models.Count;

namespace EmbedEngine.Models.Tests.TfIdf;

public sealed class TfIdfAnalyzerTests
{
    private static IReadOnlyList<string> Vocabulary(TfIdfOptions options, params string[] documents) =>
        TfIdfModel.Fit(TfIdfDocuments.Texts(documents), options).Vocabulary!;

    [Fact]
    public void Words_are_runs_of_two_or_more_word_characters()
    {
        // "t" and "a" are single characters; the apostrophe and the full stop end words.
        Assert.Equal(["don", "it_s", "ok", "x2"], Vocabulary(new TfIdfOptions(), "Don't it_s a x2 ok."));
    }

    [Fact]
    public void Word_characters_are_pythons_letters_numbers_and_underscore()
    {
        // As Python's re finds them (checked with Python 3): a combining accent and a zero-width joiner split
        // words, superscript and Roman-numeral numbers join them, emoji are not word characters.
        string text = "cafe\u0301 na\u00efve x\u00b2 \u2167v \u3007\u3007 a_b ab\u200dcd \u0661\u0662 \U0001F600\U0001F600";

        Assert.Equal(["a_b", "ab", "cafe", "cd", "na\u00efve", "x\u00b2", "\u0661\u0662", "\u2177v", "\u3007\u3007"],
            Vocabulary(new TfIdfOptions(), text));
    }

    [Fact]
    public void Char_wb_pads_words_and_yields_a_short_word_once()
    {
        var options = new TfIdfOptions { Analyzer = TfIdfAnalyzer.CharWordBounded, MinN = 2, MaxN = 4 };

        // " a " is 3 long: its 2-grams, then itself once for n = 3, and nothing for n = 4.
        Assert.Equal([" a", " a ", "a "], Vocabulary(options, "a"));
        Assert.Equal([" b", " bc", " bc ", "bc", "bc ", "c "], Vocabulary(options, "bc"));
    }

    [Fact]
    public void Char_ngrams_count_code_points_not_utf16_units()
    {
        var options = new TfIdfOptions { Analyzer = TfIdfAnalyzer.Char, MinN = 1, MaxN = 1 };

        Assert.Equal(["a", "b", "😀"], Vocabulary(options, "a😀b"));
    }

    [Fact]
    public void Vocabulary_is_in_code_point_order_as_python_sorts_it()
    {
        // U+FF5A sorts before U+1D41A by code point, though its UTF-16 unit is above the surrogate D835.
        Assert.Equal(["\uFF5Az", "\U0001D41Aa"], Vocabulary(new TfIdfOptions(), "\U0001D41Aa \uFF5Az"));
    }

    [Fact]
    public void Max_features_keeps_the_most_frequent_terms_ties_by_term_order()
    {
        var options = new TfIdfOptions { MaxFeatures = 2 };

        Assert.Equal(["bb", "dd"], Vocabulary(options, "dd dd bb cc", "bb aa dd"));
        Assert.Equal(["aa", "bb"], Vocabulary(options, "cc bb aa"));
    }

    [Theory]
    [InlineData(0u, "")]
    [InlineData(0x248bfa47u, "hello")]
    [InlineData(0x2e4ff723u, "The quick brown fox jumps over the lazy dog")]
    public void MurmurHash3_matches_published_values(uint expected, string text) =>
        Assert.Equal(expected, (uint)MurmurHash3.Hash32(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void The_most_negative_hash_maps_as_two_to_the_31()
    {
        Assert.Equal(0, MurmurHash3.Feature(int.MinValue, 1024));
        Assert.Equal(5, MurmurHash3.Feature(-5, 1024));
    }

    [Theory]
    [InlineData("2", 2.0, false)]
    [InlineData("0.5", 0.5, true)]
    [InlineData("1.0", 1.0, true)]
    [InlineData("1e-1", 0.1, true)]
    public void Document_frequency_bounds_read_like_python_numbers(string text, double value, bool fraction) =>
        Assert.Equal(new DocumentFrequencyBound(value, fraction), DocumentFrequencyBound.Parse(text, "min-df"));

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("2.5e0")]
    [InlineData("many")]
    public void Out_of_range_bounds_are_refused(string text) =>
        Assert.Throws<ArgumentException>(() => DocumentFrequencyBound.Parse(text, "max-df"));
}
