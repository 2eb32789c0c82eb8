namespace EmbedEngine.Models.FastText;

/// <summary>fastText's -loss, with the numbers its binary model stores.</summary>
public enum FastTextLoss
{
    /// <summary>Hierarchical softmax over a Huffman tree ("hs").</summary>
    HierarchicalSoftmax = 1,

    /// <summary>Negative sampling ("ns"), the default for word vectors.</summary>
    NegativeSampling = 2,

    /// <summary>Full softmax over the outputs ("softmax"), the default for the classifier.</summary>
    Softmax = 3,

    /// <summary>One independent binary classifier per label ("ova"), for multi-label classification.</summary>
    OneVsAll = 4,
}
