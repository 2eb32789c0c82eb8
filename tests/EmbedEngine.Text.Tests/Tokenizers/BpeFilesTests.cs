using System.Text;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Text.Tests.Tokenizers;

public sealed class BpeFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string VocabPath => Path.Combine(_folder.Path, "vocab.json");

    private string MergesPath => Path.Combine(_folder.Path, "merges.txt");

    public void Dispose() => _folder.Dispose();

    /// <summary>The hand-worked vocabulary of <see cref="BpeTrainerTests"/>: merges "u g", "h ug", …</summary>
    private static ByteLevelBpe Small() => BpeTrainer.TrainOnText("hug hug hugs pug pun bun", new BpeTrainingOptions { VocabularySize = 300 }).Tokenizer;

    [Fact]
    public void Saved_files_have_gpt2_layout_and_load_back_to_the_same_tokenizer()
    {
        ByteLevelBpe saved = Small();
        saved.Save(VocabPath, MergesPath);
        string[] merges = File.ReadAllLines(MergesPath);
        Assert.Equal(["#version: 0.2", "u g", "h ug"], merges[..3]);
        Assert.Contains("\"Ġhug\": 260", File.ReadAllText(VocabPath), StringComparison.Ordinal);

        ByteLevelBpe loaded = ByteLevelBpe.Load(VocabPath, MergesPath);
        Assert.Equal(saved.VocabularySize, loaded.VocabularySize);
        Assert.Equal(saved.MergeCount, loaded.MergeCount);
        Assert.Equal(Enumerable.Range(0, saved.VocabularySize).Select(saved.TokenOf), Enumerable.Range(0, loaded.VocabularySize).Select(loaded.TokenOf));
        Assert.Equal(saved.SpecialTokens, loaded.SpecialTokens);
        var random = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            string text = RandomText.String(random, 20) + " hugs pun";
            List<int> before = [], after = [];
            saved.Encode(text, before);
            loaded.Encode(text, after);
            Assert.Equal(before, after);
        }
    }

    /// <summary>Writes the small vocabulary, lets <paramref name="edit"/> spoil one file, and returns the load's error.</summary>
    private InvalidDataException LoadSpoiled(Func<string, string>? editVocab = null, Func<string, string>? editMerges = null)
    {
        Small().Save(VocabPath, MergesPath);
        if (editVocab is not null) File.WriteAllText(VocabPath, editVocab(File.ReadAllText(VocabPath)));
        if (editMerges is not null) File.WriteAllText(MergesPath, editMerges(File.ReadAllText(MergesPath)));
        return Assert.Throws<InvalidDataException>(() => ByteLevelBpe.Load(VocabPath, MergesPath));
    }

    [Theory]
    [InlineData("u g x", "line 2: expected two tokens separated by one space, found 'u g x'")]
    [InlineData("ug", "line 2: expected two tokens separated by one space, found 'ug'")]
    [InlineData("u  g", "line 2: expected two tokens separated by one space")]
    [InlineData("", "line 2: expected two tokens separated by one space, found ''")]
    [InlineData("u ☃", "line 2: '☃' is not in the vocabulary")]
    [InlineData("g u", "line 2: the merge's result 'gu' is not in the vocabulary")]
    public void A_bad_merge_line_names_the_file_and_line(string firstMerge, string expected)
    {
        InvalidDataException error = LoadSpoiled(editMerges: text => text.Replace("\nu g\n", $"\n{firstMerge}\n", StringComparison.Ordinal));
        Assert.Contains($"{MergesPath} {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_result_outside_the_byte_alphabet_is_refused()
    {
        InvalidDataException error = LoadSpoiled(
            editVocab: text => Replace(text, "\"<|endoftext|>\": 266", "\"<|endoftext|>\": 266, \"☃\": 267, \"u☃\": 268"),
            editMerges: text => text + "u ☃\n");
        Assert.Contains($"{MergesPath} line 12: the merge's result 'u☃' holds a character outside GPT-2's byte alphabet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_merge_names_both_lines()
    {
        InvalidDataException error = LoadSpoiled(editMerges: text => text + "h ug\n");
        Assert.Contains($"{MergesPath} line 12: the merge 'h ug' repeats line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merges_without_the_version_header_are_refused()
    {
        InvalidDataException error = LoadSpoiled(editMerges: text => text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        Assert.Contains($"{MergesPath} line 1: expected the header '#version: 0.2', found 'u g'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_are_refused()
    {
        Assert.Contains($"{MergesPath} is empty", LoadSpoiled(editMerges: _ => "").Message, StringComparison.Ordinal);
        Assert.Contains($"{VocabPath} is empty", LoadSpoiled(editVocab: _ => " \n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_id_names_both_tokens_and_the_line()
    {
        InvalidDataException error = LoadSpoiled(editVocab: text => text.Replace("\"ug\": 256", "\"ug\": 255", StringComparison.Ordinal));
        Assert.Contains($"{VocabPath} line 258: id 255 of 'ug' is already the id of 'Ń'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"ug\": 256,", "\"ug\": 256,,", "line 258: not valid JSON")]
    [InlineData("\"ug\": 256,", "\"ug\": \"256\",", "line 258: the id of 'ug' is not a non-negative integer")]
    [InlineData("\"ug\": 256,", "\"ug\": -1,", "line 258: the id of 'ug' is not a non-negative integer")]
    [InlineData("\"ug\": 256,", "\"hug\": 256,", "line 259: 'hug' appears twice")]
    [InlineData("\"ug\": 256,", "\"ug\": 2560,", ": no token has id 256, yet ids run to 2560")]
    [InlineData("\"a\": 64,", "\"aa\": 64,", ": byte 0x61 has no token ('a')")]
    [InlineData("{", "[", "line 1: expected a JSON object of token to id")]
    public void A_malformed_vocabulary_names_the_file_and_problem(string original, string spoiled, string expected)
    {
        InvalidDataException error = LoadSpoiled(editVocab: text => Replace(text, original, spoiled));
        Assert.Contains($"{VocabPath}{(expected.StartsWith(':') ? "" : " ")}{expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_vocabulary_is_bad_json()
    {
        InvalidDataException error = LoadSpoiled(editVocab: text => text[..(text.Length / 2)]);
        Assert.Contains($"{VocabPath} line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_merges_is_refused()
    {
        Small().Save(VocabPath, MergesPath);
        File.WriteAllBytes(MergesPath, [.. Encoding.UTF8.GetBytes("#version: 0.2\nu g\n"), 0xFF, (byte)' ', (byte)'g', (byte)'\n']);
        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpe.Load(VocabPath, MergesPath));
        Assert.Contains($"{MergesPath} near line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        Small().Save(VocabPath, MergesPath);
        string missing = Path.Combine(_folder.Path, "nope.txt");
        var error = Assert.Throws<FileNotFoundException>(() => ByteLevelBpe.Load(VocabPath, missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private static string Replace(string text, string original, string spoiled)
    {
        Assert.Contains(original, text, StringComparison.Ordinal);
        int at = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), spoiled, text.AsSpan(at + original.Length));
    }
}
