namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>The output layers of fastText's classifier (<c>-loss</c>).</summary>
public enum ClassifierLoss
{
    /// <summary>A full softmax over the labels (fastText's supervised default).</summary>
    Softmax,

    /// <summary>Hierarchical softmax: a binary logistic step per node of a Huffman tree over label counts.</summary>
    HierarchicalSoftmax,

    /// <summary>One independent binary logistic classifier per label, so a line may carry several labels.</summary>
    OneVsAll,
}
