using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// Smooth inverse frequency (Arora, Liang and Ma, 2017): a sentence is the mean of its words' vectors weighted by
/// a / (a + p(w)), p(w) the word's frequency in a corpus, then the projection on the first principal component of
/// such vectors over the corpus's sentences is removed. Words are spelled as the comparison corpus spells them
/// (<see cref="CorpusWords"/>). A word without a vector takes one from a fastText model's character n-grams when one
/// is given (weight 1), and is left out otherwise; a sentence with no vector is the zero vector.
/// </summary>
public sealed class SifEncoder : ISentenceEncoder
{
    /// <summary>The paper's recommended smoothing, a = 10⁻³.</summary>
    public const double DefaultSmoothing = 1e-3;

    private readonly KeyedVectors _vectors;
    private readonly FastTextModel? _subwords;
    private readonly float[] _weights;
    private readonly float[] _component;

    private SifEncoder(KeyedVectors vectors, FastTextModel? subwords, float[] weights, float[] component)
    {
        _vectors = vectors;
        _subwords = subwords;
        _weights = weights;
        _component = component;
    }

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _vectors.Dimension;

    /// <summary>The unit first principal component removed from every sentence vector.</summary>
    public ReadOnlySpan<float> Component => _component;

    /// <summary>The weight a / (a + p(w)) of word <paramref name="index"/> of the vectors (1 for a word the corpus never had).</summary>
    public float Weight(int index) => _weights[index];

    /// <summary>
    /// Fits the weights and the component on <paramref name="corpusLines"/> (one sentence a line; the first
    /// <paramref name="maxSentences"/> non-empty ones give the component); <paramref name="subwords"/>, a fastText
    /// model, gives vectors to the words the vectors lack.
    /// </summary>
    /// <exception cref="ArgumentException">The corpus has no word with a vector.</exception>
    public static SifEncoder Fit(KeyedVectors vectors, IEnumerable<string> corpusLines, double smoothing = DefaultSmoothing, int maxSentences = 100_000,
        FastTextModel? subwords = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (!(smoothing > 0)) throw new ArgumentOutOfRangeException(nameof(smoothing), $"The smoothing a must be positive; got {smoothing}.");
        var counts = new long[vectors.Count];
        long total = 0;
        var sentences = new List<List<string>>();
        foreach (string line in corpusLines)
        {
            List<string> words = CorpusWords.Of(line);
            if (words.Count == 0) continue;
            total += words.Count;
            foreach (string word in words)
            {
                int index = vectors.IndexOf(word);
                if (index >= 0) counts[index]++;
            }
            if (sentences.Count < maxSentences) sentences.Add(words);
        }
        if (counts.All(c => c == 0)) throw new ArgumentException("The corpus has no word that the vectors have: SIF cannot be fitted on it.");
        var weights = new float[vectors.Count];
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(smoothing / (smoothing + (double)counts[i] / total));
        var encoder = new SifEncoder(vectors, subwords, weights, new float[vectors.Dimension]);
        encoder.FitComponent(sentences);
        return encoder;
    }

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        WeightedMean(CorpusWords.Of(sentence), vector);
        float projection = DotKernel.Dot(vector, _component);
        AxpyKernel.Axpy(-projection, _component, vector);
    }

    private void WeightedMean(List<string> words, Span<float> vector) => WordVectorMean.Of(_vectors, words, _weights, vector, _subwords);

    /// <summary>
    /// The top right singular vector of the matrix of weighted sentence means (uncentred, as the paper's truncated
    /// SVD): the leading eigenvector of its d × d Gram matrix.
    /// </summary>
    private void FitComponent(List<List<string>> sentences)
    {
        int d = Dimension;
        var gram = new double[d * d];
        var row = new float[d];
        foreach (List<string> words in sentences)
        {
            WeightedMean(words, row);
            for (int i = 0; i < d; i++)
            {
                if (row[i] == 0) continue;
                double ri = row[i];
                for (int j = 0; j < d; j++) gram[i * d + j] += ri * row[j];
            }
        }
        (double[] values, double[] vectors) = SymmetricEigen.Decompose(gram, d);
        if (values[0] <= 0) return; // no sentence had a known word: nothing to remove
        for (int i = 0; i < d; i++) _component[i] = (float)vectors[i * d];
    }
}
