using System.Text;

namespace EmbedEngine.Text.Tests;

/// <summary>
/// Expected values come from a separate Python transcription of fastText's Dictionary::hash and computeSubwords,
/// so the two implementations check each other.
/// </summary>
public class CharacterNgramsTests
{
    [Theory]
    [InlineData("", 2166136261u)]
    [InlineData("a", 3826002220u)]
    [InlineData("<wh", 1048167652u)]
    [InlineData("é", 1023043777u)] // bytes C3 A9: sign-extended before the xor, unlike textbook FNV-1a
    [InlineData("<é>", 1002806231u)]
    public void Hash_is_fnv1a_over_sign_extended_bytes(string text, uint expected) =>
        Assert.Equal(expected, FastTextHash.Compute(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Ngrams_of_a_word_come_in_fasttext_order_with_its_buckets()
    {
        // <wh <whe whe wher her here ere ere> re>
        var buckets = new List<int>();
        new CharacterNgrams(3, 4, 2_000_000).AppendBuckets("where"u8, buckets);
        Assert.Equal([167652, 989715, 420941, 312621, 1473420, 1540811, 1529033, 1568469, 867498], buckets);
    }

    [Fact]
    public void Multibyte_characters_are_never_cut_and_lone_markers_are_skipped()
    {
        // "<é>" with n = 1..2: "<é", "é", "é>"; "<" and ">" alone are not n-grams.
        var buckets = new List<int>();
        new CharacterNgrams(1, 2, 1000).AppendBuckets(Encoding.UTF8.GetBytes("é"), buckets);
        Assert.Equal([627, 777, 781], buckets);
    }

    [Fact]
    public void Maxn_zero_means_no_ngrams_and_bad_lengths_are_refused()
    {
        var buckets = new List<int>();
        new CharacterNgrams(0, 0, 0).AppendBuckets("word"u8, buckets);
        Assert.Empty(buckets);
        Assert.Throws<ArgumentException>(() => new CharacterNgrams(4, 3, 10));
        Assert.Throws<ArgumentException>(() => new CharacterNgrams(0, 3, 10));
        Assert.Throws<ArgumentException>(() => new CharacterNgrams(3, 6, 0));
    }

    [Fact]
    public void A_long_word_is_handled_off_the_stack()
    {
        var buckets = new List<int>();
        byte[] word = Encoding.UTF8.GetBytes(new string('x', 400));
        new CharacterNgrams(3, 3, 97).AppendBuckets(word, buckets);
        // 402 wrapped characters give 400 trigrams.
        Assert.Equal(400, buckets.Count);
        Assert.All(buckets, b => Assert.InRange(b, 0, 96));
    }
}
