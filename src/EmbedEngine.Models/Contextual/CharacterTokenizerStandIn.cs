using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// A character tokenizer until EmbedEngine.Text's CharacterTokenizer is merged (which then replaces it here and in
/// <see cref="TokenizerDescription"/>): id i is the i-th of the given characters (UTF-16 units); an unknown one is an
/// <see cref="ArgumentException"/>.
/// </summary>
internal sealed class CharacterTokenizerStandIn : ITokenizer
{
    private readonly Dictionary<char, int> _ids = [];

    public CharacterTokenizerStandIn(IReadOnlyList<string> characters)
    {
        Characters = characters;
        for (int i = 0; i < characters.Count; i++)
        {
            if (characters[i].Length != 1) throw new InvalidDataException($"Character {i} of the vocabulary, \"{characters[i]}\", is not one character.");
            if (!_ids.TryAdd(characters[i][0], i)) throw new InvalidDataException($"The vocabulary lists \"{characters[i]}\" twice.");
        }
    }

    public IReadOnlyList<string> Characters { get; }

    public int VocabularySize => Characters.Count;

    /// <summary>The sorted distinct characters of <paramref name="text"/>.</summary>
    public static CharacterTokenizerStandIn Build(string text)
    {
        char[] distinct = text.Distinct().Order().ToArray();
        return new CharacterTokenizerStandIn(distinct.Select(c => c.ToString()).ToArray());
    }

    public void Encode(string text, List<int> ids)
    {
        for (int i = 0; i < text.Length; i++)
            ids.Add(_ids.TryGetValue(text[i], out int id) ? id : throw new ArgumentException($"The character '{text[i]}' (U+{(int)text[i]:X4}) at offset {i} is not in the model's vocabulary."));
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var builder = new System.Text.StringBuilder(ids.Length);
        foreach (int id in ids) builder.Append(Characters[id]);
        return builder.ToString();
    }
}
