using System.Text;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// The words of a sentence as the comparison corpus spells them (../shared/scripts/make-corpus.sh): lowercase ASCII
/// letters, digits and apostrophes, anything else a separator; so vectors trained on that corpus meet the same
/// spellings in the sentences they encode.
/// </summary>
public static class CorpusWords
{
    /// <summary>The normalized words of <paramref name="sentence"/>, in order.</summary>
    public static List<string> Of(string sentence)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (char raw in sentence)
        {
            char c = raw is >= 'A' and <= 'Z' ? (char)(raw + 32) : raw;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '\'') word.Append(c);
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }
}
