using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Text.Tests.Tokenizers;

public class CharacterTokenizerTests
{
    [Fact]
    public void The_vocabulary_is_the_sorted_distinct_characters_with_surrogate_pairs_whole()
    {
        CharacterTokenizer tokenizer = CharacterTokenizer.FromText("ba\n😀 ab😀e\u0301𝐀");
        Assert.Equal(["\n", " ", "a", "b", "e", "\u0301", "𝐀", "😀"], tokenizer.Symbols);
        var ids = new List<int>();
        tokenizer.Encode("😀a\u0301 ", ids);
        Assert.Equal([7, 2, 5, 1], ids);
        Assert.Equal("😀a\u0301 ", tokenizer.Decode([.. ids]));
    }

    [SharedDataFact("tinyshakespeare/input.txt")]
    public void Tiny_shakespeare_gives_nanogpts_65_ids()
    {
        string text = File.ReadAllText(SharedData.Find("tinyshakespeare/input.txt")!);
        CharacterTokenizer tokenizer = CharacterTokenizer.FromText(text);
        Assert.Equal(65, tokenizer.VocabularySize);
        Assert.Equal(("\n", " ", "!", "z"), (tokenizer.Symbols[0], tokenizer.Symbols[1], tokenizer.Symbols[2], tokenizer.Symbols[64]));
        var ids = new List<int>();
        tokenizer.Encode(text, ids);
        Assert.Equal(text.Length, ids.Count);
        Assert.Equal(text, tokenizer.Decode([.. ids]));
    }

    [Fact]
    public void Random_strings_round_trip_through_their_own_vocabulary()
    {
        var random = new Random(4);
        for (int trial = 0; trial < 500; trial++)
        {
            string text = RandomText.String(random, 30);
            CharacterTokenizer tokenizer = CharacterTokenizer.FromText(text);
            var ids = new List<int>();
            tokenizer.Encode(text, ids);
            Assert.Equal(text, tokenizer.Decode([.. ids]));
            Assert.Equal(text.EnumerateRunes().Count(), ids.Count);
        }
    }

    [Theory]
    [InlineData("abz", "The character 'z' (U+007A) at position 2 is not in the vocabulary of 3 characters.")]
    [InlineData("a\tb", "The character U+0009 at position 1 is not in the vocabulary of 3 characters.")]
    [InlineData("ab🙂", "The character '🙂' (U+1F642) at position 2 is not in the vocabulary")]
    [InlineData("😀ab\u0301", "The character U+0301 at position 4 is not in the vocabulary")]
    public void An_unknown_character_is_named_with_its_position(string text, string expected)
    {
        CharacterTokenizer tokenizer = CharacterTokenizer.FromText("ab😀");
        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(text, []));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_is_not_a_character()
    {
        var error = Assert.Throws<ArgumentException>(() => CharacterTokenizer.FromText("ab\uDE00"));
        Assert.Contains("lone surrogate U+DE00 at position 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vocabulary_survives_json_and_a_file()
    {
        CharacterTokenizer tokenizer = CharacterTokenizer.FromText("\"q\\\n\u0000😀é");
        Assert.Equal(tokenizer.Symbols, CharacterTokenizer.FromJson(tokenizer.ToJson()).Symbols);
        Assert.Equal(tokenizer.Symbols, CharacterTokenizer.FromSymbols(tokenizer.Symbols).Symbols);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "chars.json");
        tokenizer.Save(path);
        Assert.Equal(tokenizer.Symbols, CharacterTokenizer.Load(path).Symbols);
    }

    [Theory]
    [InlineData("[\"a\", \"bc\"]", "Symbol 1 (\"bc\") is not exactly one character")]
    [InlineData("[\"a\", \"\"]", "Symbol 1 (\"\") is not exactly one character")]
    [InlineData("[\"a\", \"a\"]", "Symbol 1 ('a' (U+0061)) repeats")]
    [InlineData("[\"a\", 3]", "not a JSON array of strings (line 1)")]
    [InlineData("{\"a\": 0}", "not a JSON array of strings")]
    [InlineData("null", "is null")]
    public void A_malformed_vocabulary_is_invalid_data(string json, string expected)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "chars.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<InvalidDataException>(() => CharacterTokenizer.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_vocabulary_file_is_invalid_data()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "chars.json");
        File.WriteAllText(path, "");
        Assert.Contains($"{path} is empty", Assert.Throws<InvalidDataException>(() => CharacterTokenizer.Load(path)).Message, StringComparison.Ordinal);
    }
}
