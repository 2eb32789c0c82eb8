using System.Text;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Text.Tests.Tokenizers;

public class ByteLevelBpeTests
{
    /// <summary>A tokenizer whose merges reach into multi-byte characters, whitespace runs and long letter runs.</summary>
    private static readonly ByteLevelBpe Trained = BpeTrainer.TrainOnText(
        BpeTrainerTests.RandomText(new Random(11), 4000) + string.Concat(Enumerable.Range(0, 300).Select(i => RandomText.String(new Random(i), 20))),
        new BpeTrainingOptions { VocabularySize = 1200 }).Tokenizer;

    [Fact]
    public void Random_strings_decode_to_themselves_and_encode_as_their_utf8_bytes_do()
    {
        var random = new Random(1);
        var ids = new List<int>();
        var byteIds = new List<int>();
        for (int trial = 0; trial < 2000; trial++)
        {
            string text = RandomText.String(random, 30);
            ids.Clear();
            Trained.Encode(text, ids);
            Assert.Equal(text, Trained.Decode([.. ids]));
            byteIds.Clear();
            Trained.EncodeBytes(Encoding.UTF8.GetBytes(text), byteIds);
            Assert.Equal(ids, byteIds);
        }
    }

    [Fact]
    public void Random_byte_strings_invalid_utf8_included_decode_to_themselves()
    {
        var random = new Random(2);
        var ids = new List<int>();
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] bytes = RandomText.Bytes(random, 30);
            ids.Clear();
            Trained.EncodeBytes(bytes, ids);
            Assert.Equal(bytes, Trained.DecodeBytes([.. ids]));
        }
    }

    [Fact]
    public void Merges_make_the_text_shorter_than_its_bytes()
    {
        string text = BpeTrainerTests.RandomText(new Random(12), 500);
        var ids = new List<int>();
        Trained.Encode(text, ids);
        Assert.True(ids.Count * 2 < Encoding.UTF8.GetByteCount(text), $"{ids.Count} ids for {Encoding.UTF8.GetByteCount(text)} bytes");
    }

    [Fact]
    public void An_ill_formed_subsequence_is_a_pre_token_of_its_own()
    {
        ByteLevelBpe bpe = BpeTrainer.TrainOnText("ab ab ab", new BpeTrainingOptions { VocabularySize = 257, AddEndOfText = false }).Tokenizer;
        Assert.Equal("a b", BpeTrainerTests.Merge(bpe, 0));
        const int A = 64, B = 65, AB = 256;
        var ids = new List<int>();
        bpe.EncodeBytes([(byte)'a', (byte)'b', 0xFF, (byte)'a', (byte)'b', 0xE2, 0x82], ids);
        Assert.Equal([AB, ByteId(0xFF), AB, ByteId(0xE2), ByteId(0x82)], ids);
        ids.Clear();
        bpe.EncodeBytes([(byte)'a', 0xC0, (byte)'b'], ids);
        Assert.Equal([A, ByteId(0xC0), B], ids);
    }

    private static readonly int[] IdOfByte = [.. Enumerable.Range(0, 256).Select(value => Enumerable.Range(0, 256).Single(id => ByteLevelAlphabet.ByteOfGpt2Id(id) == value))];

    private static int ByteId(byte value) => IdOfByte[value];

    [Fact]
    public void A_lone_surrogate_is_refused_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => Trained.Encode("ab\uD83Dcd", []));
        Assert.Contains("U+D83D at position 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Trained.Decode([1, Trained.VocabularySize]));
        Assert.Contains($"Token id {Trained.VocabularySize} at position 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_special_token_decodes_to_its_text_and_text_never_produces_it()
    {
        int endOfText = Trained.SpecialTokens[ByteLevelBpe.EndOfText];
        Assert.Equal(Trained.VocabularySize - 1, endOfText);
        Assert.Equal("a<|endoftext|>", Trained.Decode([64, endOfText]));
        var ids = new List<int>();
        Trained.Encode(ByteLevelBpe.EndOfText, ids);
        Assert.DoesNotContain(endOfText, ids);
    }

    /// <summary>The heap that long pre-tokens take merges exactly as the scan that short ones take.</summary>
    [Fact]
    public void Long_and_short_merge_paths_agree()
    {
        MergeTable table = TableOf(Trained);
        var random = new Random(9);
        const string Letters = "thecafé'ßab ";
        for (int trial = 0; trial < 300; trial++)
        {
            string text = string.Concat(Enumerable.Range(0, 2 + random.Next(200)).Select(_ => Letters[random.Next(Letters.Length)]));
            int[] bytes = [.. Encoding.UTF8.GetBytes(text).Select(ByteId)];
            int[] scanned = [.. bytes], heaped = [.. bytes];
            int scannedCount = table.ApplyByScan(scanned), heapedCount = table.ApplyByHeap(heaped);
            Assert.Equal(scanned.AsSpan(0, scannedCount).ToArray(), heaped.AsSpan(0, heapedCount).ToArray());
            Assert.True(scannedCount < bytes.Length || bytes.Length < 8, text);
        }
    }

    private static MergeTable TableOf(ByteLevelBpe bpe)
    {
        using var folder = new TempFolder();
        string vocab = Path.Combine(folder.Path, "vocab.json"), mergesPath = Path.Combine(folder.Path, "merges.txt");
        bpe.Save(vocab, mergesPath);
        var idOf = Enumerable.Range(0, bpe.VocabularySize).ToDictionary(bpe.TokenOf, id => id);
        var merges = File.ReadAllLines(mergesPath).Skip(1).Select(line => line.Split(' '))
            .Select(parts => (idOf[parts[0]], idOf[parts[1]], idOf[parts[0] + parts[1]])).ToList();
        return new MergeTable(merges);
    }
}
