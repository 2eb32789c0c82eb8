using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// The trainable matrices: input vectors (syn0, the result), negative-sampling output vectors (syn1neg) and
/// hierarchical-softmax inner-node vectors (syn1). Rows are padded to a cache line so no row straddles two
/// lines more than it must.
/// </summary>
public sealed class Word2VecWeights : IDisposable
{
    /// <summary>
    /// Allocates and initialises the matrices: inputs uniform in ±<paramref name="initialRange"/>/dim (word2vec.c 0.5,
    /// gensim 1), outputs zero.
    /// </summary>
    public Word2VecWeights(int vocabularySize, int dimension, bool negativeSampling, bool hierarchicalSoftmax, ulong seed,
        float initialRange)
    {
        Input = Training.UniformMatrix.Create(vocabularySize, dimension, dimension * 0.5f / initialRange, seed);
        if (negativeSampling) NegativeOutput = NativeMatrix.Allocate(vocabularySize, dimension, padRows: true);
        if (hierarchicalSoftmax) TreeOutput = NativeMatrix.Allocate(Math.Max(1, vocabularySize - 1), dimension, padRows: true);
    }

    /// <summary>syn0: one row per vocabulary word.</summary>
    public NativeMatrix Input { get; private set; }

    /// <summary>syn1neg, when negative sampling is on.</summary>
    public NativeMatrix? NegativeOutput { get; }

    /// <summary>syn1, when hierarchical softmax is on.</summary>
    public NativeMatrix? TreeOutput { get; }

    /// <summary>Every matrix held, by its checkpoint name.</summary>
    public IReadOnlyList<KeyValuePair<string, NativeMatrix>> NamedMatrices
    {
        get
        {
            List<KeyValuePair<string, NativeMatrix>> matrices = [new("input", Input)];
            if (NegativeOutput != null) matrices.Add(new("negative_output", NegativeOutput));
            if (TreeOutput != null) matrices.Add(new("tree_output", TreeOutput));
            return matrices;
        }
    }

    /// <summary>Hands the input matrix to the caller (it becomes the word vectors) and frees the rest.</summary>
    public NativeMatrix DetachInput()
    {
        NativeMatrix input = Input;
        Input = null!;
        Dispose();
        return input;
    }

    /// <summary>Frees all matrices still held.</summary>
    public void Dispose()
    {
        Input?.Dispose();
        NegativeOutput?.Dispose();
        TreeOutput?.Dispose();
    }
}
