namespace EmbedEngine.Models.Count;

/// <summary>What a TF-IDF term is: the <c>analyzer</c> choice of scikit-learn's TfidfVectorizer.</summary>
public enum TfIdfAnalyzer
{
    /// <summary>
    /// Word n-grams (<c>analyzer='word'</c>): words are runs of two or more word characters (letters, numbers,
    /// underscore), scikit-learn's default token pattern <c>(?u)\b\w\w+\b</c>; n-grams join words with one space.
    /// </summary>
    Word,

    /// <summary>
    /// Character n-grams inside word boundaries (<c>analyzer='char_wb'</c>): each whitespace-separated word is
    /// padded with one space on each side, and a padded word no longer than n yields itself once.
    /// </summary>
    CharWordBounded,

    /// <summary>
    /// Character n-grams over the whole document (<c>analyzer='char'</c>), its words joined by one space. Where
    /// scikit-learn differs: it turns only runs of two or more whitespace characters into one space, so a lone tab
    /// or a space at either end stays in its n-grams.
    /// </summary>
    Char,
}
