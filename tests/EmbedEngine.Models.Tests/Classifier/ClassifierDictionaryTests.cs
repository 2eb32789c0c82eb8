using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.Classifier;

public sealed class ClassifierDictionaryTests
{
    [Fact]
    public void Labels_anywhere_on_the_line_and_the_end_of_line_word()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("d.txt", "cheap __label__spam pills\n__label__ham hello\tcheap\n__label__spam cheap\n");
        ClassifierDictionary dictionary = ClassifierDictionary.Build(path, new ClassifierOptions());
        Assert.Equal(["__label__spam", "__label__ham"], dictionary.Labels);
        // cheap and </s> tie at 3; ties go in byte order, and '<' sorts before letters.
        Assert.Equal(["</s>", "cheap", "hello", "pills"], dictionary.Words);
        Assert.Equal(3, dictionary.Entries.Count(dictionary.Entries.IdOf("</s>")));
        Assert.Equal([2L, 1L], dictionary.LabelCounts);
        // Every token counts, labels and ends of line included, as fastText's ntokens.
        Assert.Equal(11, dictionary.Entries.TokenCount);
        Assert.Equal(0, dictionary.Buckets);
    }

    /// <summary>
    /// Bucket numbers worked out separately (in Python) from fastText's rule: FNV-1a with sign-extended bytes,
    /// each 32-bit hash sign-extended to 64 bits, h = h·116049371 + next, bucket = h mod 2,000,000. All three
    /// hashes have their top bit set, so getting the widening wrong would give 1523395 and 1130154 instead.
    /// </summary>
    [Fact]
    public void Word_bigrams_hash_into_fastTexts_buckets()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("d.txt", "__label__spam cheap pills\n");
        ClassifierDictionary dictionary = ClassifierDictionary.Build(path, new ClassifierOptions { WordNgrams = 2 });
        Assert.Equal(ClassifierOptions.DefaultBuckets, dictionary.Buckets);
        List<int> features = [], labels = [];
        int tokens = dictionary.Encode("cheap __label__spam pills", features, labels);

        int words = dictionary.WordCount;
        int[] expected =
        [
            dictionary.Entries.IdOf("cheap"), dictionary.Entries.IdOf("pills"), dictionary.Entries.IdOf("</s>"),
            words + 1_736_899, words + 1_343_658,
        ];
        Assert.Equal(expected, features);
        Assert.Equal([0], labels);
        Assert.Equal(4, tokens);
    }

    /// <summary>After fastText's quantize -cutoff only some buckets keep a row; the others add no feature (pushHash).</summary>
    [Fact]
    public void A_pruned_bucket_index_maps_kept_ngrams_and_drops_the_rest()
    {
        var entries = new FastTextDictionary(["cheap", "pills", "</s>", "__label__spam"], [1, 1, 1, 1],
            [FastTextEntryType.Word, FastTextEntryType.Word, FastTextEntryType.Word, FastTextEntryType.Label], 4,
            prunedBuckets: [(1_343_658, 0)]);
        var dictionary = new ClassifierDictionary(entries, wordNgrams: 2, new CharacterNgrams(0, 0, ClassifierOptions.DefaultBuckets), "__label__");
        List<int> features = [];
        dictionary.Encode("cheap pills", features, []);
        // (cheap pills) hashes to bucket 1,736,899, which was pruned; (pills </s>) to 1,343,658, kept as row 0.
        Assert.Equal([0, 1, 2, 3 + 0], features);
        Assert.Equal(3 + 1, dictionary.InputRows);
    }

    [Fact]
    public void A_known_entry_keeps_its_type_whatever_the_prefix()
    {
        var entries = new FastTextDictionary(["good", "</s>", "#pos"], [1, 1, 1],
            [FastTextEntryType.Word, FastTextEntryType.Word, FastTextEntryType.Label], 3);
        var dictionary = new ClassifierDictionary(entries, wordNgrams: 1, new CharacterNgrams(0, 0, 0), "__label__");
        List<int> features = [], labels = [];
        dictionary.Encode("#pos good __label__unknown", features, labels);
        Assert.Equal([0], labels);
        Assert.Equal([0, 1], features); // the unknown label adds nothing, not even a word
    }

    [Fact]
    public void Unknown_words_still_join_word_ngrams()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("d.txt", "__label__x known\n");
        ClassifierDictionary dictionary = ClassifierDictionary.Build(path, new ClassifierOptions { WordNgrams = 2, Buckets = 97 });
        List<int> features = [];
        dictionary.Encode("unknown known", features, []);
        // known, </s>, then the bigrams (unknown known) and (known </s>): the unknown word adds no row of its own.
        Assert.Equal(4, features.Count);
        Assert.All(features.Skip(2), id => Assert.InRange(id, dictionary.WordCount, dictionary.WordCount + 96));
    }
}
