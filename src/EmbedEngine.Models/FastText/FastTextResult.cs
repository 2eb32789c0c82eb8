using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// A trained fastText model: everything fastText's .bin holds for an unsupervised model (options, vocabulary,
/// input matrix of nwords + buckets rows, output matrix), and the word vectors derived from it.
/// </summary>
public sealed unsafe class FastTextResult : IDisposable
{
    /// <summary>Wraps trained or loaded state; the result owns and disposes both matrices.</summary>
    /// <param name="options">The options it was trained with.</param>
    /// <param name="vocabulary">Its words and counts.</param>
    /// <param name="subwords">Each word's input rows.</param>
    /// <param name="input">nwords + buckets rows.</param>
    /// <param name="output">One row per word.</param>
    /// <param name="final">Progress at the end of training; null for a model loaded from a file.</param>
    public FastTextResult(FastTextOptions options, Vocabulary vocabulary, SubwordTable subwords, NativeMatrix input,
        NativeMatrix output, TrainingProgress? final = null)
    {
        ArgumentNullException.ThrowIfNull(subwords);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rows != subwords.InputRows)
            throw new ArgumentException($"the input matrix has {input.Rows} rows; {subwords.WordCount} words and {subwords.Ngrams.Buckets} buckets need {subwords.InputRows}", nameof(input));
        Options = options;
        Vocabulary = vocabulary;
        Subwords = subwords;
        Input = input;
        Output = output;
        Final = final;
    }

    /// <summary>The options it was trained with.</summary>
    public FastTextOptions Options { get; }

    /// <summary>The vocabulary: words and counts, most frequent first.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Each vocabulary word's input rows.</summary>
    public SubwordTable Subwords { get; }

    /// <summary>Input rows: one per vocabulary word, then one per n-gram bucket.</summary>
    public NativeMatrix Input { get; }

    /// <summary>Output rows: one per vocabulary word.</summary>
    public NativeMatrix Output { get; }

    /// <summary>Progress at the end of training (words, rate, final loss); null for a model loaded from a file.</summary>
    public TrainingProgress? Final { get; }

    /// <summary>
    /// The vector of <paramref name="word"/>, in the vocabulary or not: the average of its subword rows (for an unseen
    /// word its n-grams only). A word without a row at all (unseen, no n-gram) gets zeros, as in fastText.
    /// </summary>
    public float[] Vector(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        byte[] utf8 = Encoding.UTF8.GetBytes(word);
        ReadOnlySpan<int> rows = Vocabulary.TryGetId(utf8, out int id) ? Subwords.Rows(id) : Subwords.RowsOfUnseen(utf8);
        var vector = new float[Input.Columns];
        if (!rows.IsEmpty) CbowKernel.Average(Input.Data, Input.Stride, rows, vector);
        return vector;
    }

    /// <summary>The vectors of every vocabulary word (what fastText writes to its .vec file); the caller disposes them.</summary>
    public KeyedVectors WordVectors()
    {
        var vectors = NativeMatrix.Allocate(Vocabulary.Count, Input.Columns, padRows: true);
        for (int id = 0; id < Vocabulary.Count; id++)
            CbowKernel.Average(Input.Data, Input.Stride, Subwords.Rows(id), vectors.Row(id));
        return new KeyedVectors(Vocabulary.Words, vectors);
    }

    /// <summary>Frees both matrices.</summary>
    public void Dispose()
    {
        Input.Dispose();
        Output.Dispose();
    }
}
