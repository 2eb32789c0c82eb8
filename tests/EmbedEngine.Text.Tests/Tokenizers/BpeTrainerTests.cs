using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Text.Tests.Tokenizers;

public class BpeTrainerTests
{
    /// <summary>
    /// Pre-tokens "hug", " hug", " hugs", " pug", " pun", " bun" (Ġ is the space). Worked by hand: (u,g) 4 times,
    /// then (h,ug) 3; then (Ġ,hug), (Ġ,p) and (u,n) twice each: u (id 84) is the smallest left id, then Ġ (220) with
    /// p (79) before hug (257); then every pair once, taken by smallest left id: b (65), Ġ (220), Ġp (259) with
    /// ug (256) before un (258), and Ġhug (260) last.
    /// </summary>
    [Fact]
    public void Learns_the_merges_worked_out_by_hand_with_the_documented_tie_break()
    {
        BpeTrainingResult result = BpeTrainer.TrainOnText("hug hug hugs pug pun bun", new BpeTrainingOptions { VocabularySize = 300 });
        ByteLevelBpe bpe = result.Tokenizer;
        string[] expected = ["u g", "h ug", "u n", "Ġ p", "Ġ hug", "b un", "Ġ bun", "Ġp ug", "Ġp un", "Ġhug s"];
        Assert.Equal(expected.Length, bpe.MergeCount);
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(rank => Merge(bpe, rank)));
        Assert.Equal(256 + expected.Length + 1, bpe.VocabularySize);
        Assert.Equal(bpe.VocabularySize - 1, bpe.SpecialTokens[ByteLevelBpe.EndOfText]);
        Assert.Equal((6, 6), (result.PreTokens, result.DistinctPreTokens));

        var ids = new List<int>();
        bpe.Encode("hugs bun", ids);
        Assert.Equal([257, 82, 262], ids);
    }

    [Fact]
    public void Stops_at_the_vocabulary_size_and_numbers_the_bytes_as_gpt2_does()
    {
        ByteLevelBpe bpe = BpeTrainer.TrainOnText("hug hug hugs pug pun bun", new BpeTrainingOptions { VocabularySize = 259, AddEndOfText = false }).Tokenizer;
        Assert.Equal(259, bpe.VocabularySize);
        Assert.Equal(["ug", "hug", "un"], new[] { bpe.TokenOf(256), bpe.TokenOf(257), bpe.TokenOf(258) });
        Assert.Empty(bpe.SpecialTokens);
        Assert.Equal(("!", "a", "Ġ", "Ā", "Ń"), (bpe.TokenOf(0), bpe.TokenOf(64), bpe.TokenOf(220), bpe.TokenOf(188), bpe.TokenOf(255)));
    }

    [Fact]
    public void A_vocabulary_too_small_for_the_bytes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BpeTrainer.TrainOnText("abc", new BpeTrainingOptions { VocabularySize = 256 }));
        Assert.Contains("at least 257", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BpeTrainer.TrainOnText("ab\uDC00", new BpeTrainingOptions()));
        Assert.Contains("lone surrogate U+DC00 at position 2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The incremental learner against a reference that recounts every pair of every pre-token at each step.</summary>
    [Fact]
    public void Incremental_pair_counts_learn_what_a_full_recount_learns()
    {
        var random = new Random(7);
        string[] syllables = ["ka", "to", "ri", "ne", "sho", "mu", "la", "pe", "qua", "dri", "ön", "ß", "x", "y", "st", "ng"];
        string words = string.Join(' ', Enumerable.Range(0, 1500).Select(_ =>
            string.Concat(Enumerable.Range(0, 1 + random.Next(4)).Select(_ => syllables[random.Next(random.Next(1, syllables.Length))]))));
        string text = RandomText(random, 1000) + words;
        const int Merges = 300;
        ByteLevelBpe bpe = BpeTrainer.TrainOnText(text, new BpeTrainingOptions { VocabularySize = 256 + Merges, AddEndOfText = false }).Tokenizer;

        var counter = new PieceCounter();
        counter.AddText(text);
        var reference = ReferenceMerges(counter.Counts, Merges);
        Assert.True(reference.Count == Merges, $"the text allows only {reference.Count} merges");
        Assert.Equal(reference.Count, bpe.MergeCount);
        Assert.Equal(reference, Enumerable.Range(0, bpe.MergeCount).Select(rank => Merge(bpe, rank)));
    }

    [Fact]
    public void Files_split_at_any_chunk_boundary_count_the_same_pre_tokens_as_the_whole_text()
    {
        string text = RandomText(new Random(3), 3000) + new string('w', 300) + "\n\n  x \r\n\t'll  ";
        var whole = new PieceCounter();
        whole.AddText(text);
        using TempCorpus file = TempCorpus.FromText(text);
        var streamed = new PieceCounter(chunkBytes: 64);
        streamed.AddFile(file.Path, CancellationToken.None);
        Assert.Equal(Sorted(whole), Sorted(streamed));

        // Every cut LastSafeCut offers leaves the pre-tokens of the two halves equal to those of the whole.
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        for (int end = bytes.Length; end > 0;)
        {
            int cut = PieceCounter.LastSafeCut(bytes.AsSpan(0, end));
            if (cut <= 0) break;
            var halves = new PieceCounter();
            Gpt2PreTokenizer.SplitUtf8(bytes.AsSpan(0, cut), halves);
            Gpt2PreTokenizer.SplitUtf8(bytes.AsSpan(cut), halves);
            Assert.Equal(Sorted(whole), Sorted(halves));
            end = cut - 1 - 200;
        }
    }

    private static List<KeyValuePair<string, long>> Sorted(PieceCounter counter) => [.. counter.Counts.OrderBy(p => p.Key, StringComparer.Ordinal)];

    [Fact]
    public void Gzip_corpora_train_like_plain_ones_and_a_corpus_twice_like_once()
    {
        string text = RandomText(new Random(5), 2000);
        using TempCorpus plain = TempCorpus.FromText(text);
        using TempCorpus gzip = TempCorpus.Gzipped(System.Text.Encoding.UTF8.GetBytes(text));
        var options = new BpeTrainingOptions { VocabularySize = 350 };
        ByteLevelBpe fromPlain = BpeTrainer.Train([plain.Path], options).Tokenizer;
        ByteLevelBpe fromGzip = BpeTrainer.Train([gzip.Path, plain.Path], options).Tokenizer;
        Assert.Equal((350, 350), (fromPlain.VocabularySize, fromGzip.VocabularySize));
        Assert.Equal(Enumerable.Range(0, 350).Select(fromPlain.TokenOf), Enumerable.Range(0, 350).Select(fromGzip.TokenOf));
    }

    [Fact]
    public void A_missing_corpus_is_named()
    {
        var error = Assert.Throws<CorpusException>(() => BpeTrainer.Train(["/nonexistent/corpus.txt"], new BpeTrainingOptions()));
        Assert.Contains("/nonexistent/corpus.txt", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Merge <paramref name="rank"/> as merges.txt writes it.</summary>
    internal static string Merge(ByteLevelBpe bpe, int rank)
    {
        using var folder = new TempFolder();
        string vocab = Path.Combine(folder.Path, "vocab.json"), merges = Path.Combine(folder.Path, "merges.txt");
        bpe.Save(vocab, merges);
        return File.ReadAllLines(merges)[1 + rank];
    }

    /// <summary>Words from a small Zipf-like vocabulary with punctuation, digits, accents and apostrophes.</summary>
    internal static string RandomText(Random random, int words)
    {
        string[] vocabulary = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "was", "on", "are", "as", "with",
            "his", "they", "be", "at", "one", "have", "this", "from", "or", "had", "by", "hot", "word", "but", "what",
            "café", "naïve", "über", "straße", "it's", "we'll", "don't", "1984", "3.14", "—", "!", "?", ",", ".", "😀"];
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < words; i++)
        {
            int rank = (int)Math.Min(vocabulary.Length - 1, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(vocabulary.Length + 1)) - 1));
            text.Append(vocabulary[rank]);
            text.Append(random.Next(12) switch { 0 => "\n", 1 => "  ", _ => " " });
        }
        return text.ToString();
    }

    /// <summary>The specification: at each step recount all adjacent pairs, take the most frequent (ties: smallest left id, then right id), merge it everywhere left to right.</summary>
    private static List<string> ReferenceMerges(IReadOnlyDictionary<string, long> counts, int merges)
    {
        var symbols = new List<string>();
        for (int id = 0; id < 256; id++) symbols.Add(ByteLevelAlphabet.ToChar(ByteLevelAlphabet.ByteOfGpt2Id(id)).ToString());
        var idOf = symbols.Select((s, id) => (s, id)).ToDictionary(p => p.s, p => p.id);
        var pieces = counts.Select(p => (Ids: p.Key.Select(c => idOf[c.ToString()]).ToList(), Count: p.Value)).ToList();
        var learned = new List<string>();
        while (learned.Count < merges)
        {
            var pairs = new Dictionary<(int, int), long>();
            foreach (var (ids, count) in pieces)
                for (int i = 0; i + 1 < ids.Count; i++) pairs[(ids[i], ids[i + 1])] = pairs.GetValueOrDefault((ids[i], ids[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.MaxBy(p => (p.Value, -p.Key.Item1, -p.Key.Item2)).Key;
            int merged = symbols.Count;
            symbols.Add(symbols[best.Item1] + symbols[best.Item2]);
            learned.Add($"{symbols[best.Item1]} {symbols[best.Item2]}");
            foreach (var (ids, _) in pieces)
            {
                for (int i = 0; i + 1 < ids.Count; i++)
                {
                    if (ids[i] != best.Item1 || ids[i + 1] != best.Item2) continue;
                    ids[i] = merged;
                    ids.RemoveAt(i + 1);
                }
            }
        }
        return learned;
    }
}
