namespace EmbedEngine.Models.FastText;

/// <summary>What a fastText model was trained to do, with the numbers its binary model stores.</summary>
public enum FastTextModelKind
{
    /// <summary>Word vectors: predict a word from the average of its context ("cbow").</summary>
    Cbow = 1,

    /// <summary>Word vectors: predict each context word from the word ("skipgram", the default).</summary>
    SkipGram = 2,

    /// <summary>The text classifier: predict a line's labels from the average of its words ("supervised").</summary>
    Supervised = 3,
}
