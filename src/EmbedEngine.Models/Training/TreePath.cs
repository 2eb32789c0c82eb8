using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One worker's hierarchical softmax: a word is predicted by the inner nodes on its Huffman path, each labelled by
/// the opposite of its code bit (word2vec.c's convention), with the label buffer allocated once.
/// </summary>
/// <param name="tree">The Huffman tree of the vocabulary.</param>
internal sealed unsafe class TreePath(HuffmanTree tree)
{
    private readonly float[] _labels = new float[tree.MaxCodeLength];

    /// <summary>Predicts <paramref name="word"/> from <paramref name="hidden"/> (see <see cref="LogisticUpdateKernel"/>); returns the summed loss.</summary>
    /// <param name="predictions">How many nodes were scored.</param>
    public float Update(ReadOnlySpan<float> hidden, NativeMatrix nodes, int word, float learningRate, Span<float> hiddenGrad,
        bool exactSigmoid, out int predictions)
    {
        ReadOnlySpan<byte> codes = tree.Codes(word);
        for (int d = 0; d < codes.Length; d++) _labels[d] = 1 - codes[d];
        predictions = codes.Length;
        return LogisticUpdateKernel.Update(hidden, nodes.Data, nodes.Stride, tree.Points(word), _labels.AsSpan(0, codes.Length),
            learningRate, hiddenGrad, exactSigmoid);
    }
}
