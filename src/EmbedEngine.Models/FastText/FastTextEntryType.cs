namespace EmbedEngine.Models.FastText;

/// <summary>What a dictionary entry is, with the numbers fastText's binary model stores.</summary>
public enum FastTextEntryType
{
    /// <summary>A word of the text: it has an input row and character n-grams.</summary>
    Word = 0,

    /// <summary>A classifier label (a token starting with "__label__"): an output of the supervised model.</summary>
    Label = 1,
}
