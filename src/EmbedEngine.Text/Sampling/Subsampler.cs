namespace EmbedEngine.Text;

/// <summary>
/// word2vec's subsampling of frequent words: a word counted f times among T training words is kept with
/// probability p = (sqrt(f / (t·T)) + 1) · t·T / f, capped at 1, where t is the <c>-sample</c> threshold.
/// Frequent words are mostly dropped; words rarer than about t·T are always kept.
/// </summary>
public sealed class Subsampler
{
    /// <summary>word2vec's <c>-sample</c> default.</summary>
    public const double DefaultSample = 1e-3;

    private readonly float[] _keepProbabilities;

    /// <summary>Precomputes every word's keep probability.</summary>
    /// <param name="vocabulary">The words and their frequencies.</param>
    /// <param name="sample">The threshold t (word2vec's <c>-sample</c>, 1e-3 there); 0 keeps every word.</param>
    public Subsampler(Vocabulary vocabulary, double sample)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!(sample >= 0) || double.IsInfinity(sample))
            throw new ArgumentOutOfRangeException(nameof(sample), sample, "The sample threshold must be finite and not negative.");
        Sample = sample;
        _keepProbabilities = new float[vocabulary.Count];
        double scaledThreshold = sample * vocabulary.TotalWords;
        for (int id = 0; id < _keepProbabilities.Length; id++)
        {
            double frequency = vocabulary.Frequency(id);
            double keep = sample == 0
                ? 1
                : (Math.Sqrt(frequency / scaledThreshold) + 1) * scaledThreshold / frequency;
            _keepProbabilities[id] = (float)Math.Min(keep, 1);
        }
    }

    /// <summary>The threshold t this sampler was made with.</summary>
    public double Sample { get; }

    /// <summary>The probability that an occurrence of word <paramref name="id"/> is kept, in (0, 1].</summary>
    public float KeepProbability(int id) => _keepProbabilities[id];

    /// <summary>Whether to keep an occurrence of word <paramref name="id"/>.</summary>
    /// <param name="id">The word's id.</param>
    /// <param name="uniform01">A uniform random number in [0, 1).</param>
    public bool Keep(int id, float uniform01) => uniform01 < _keepProbabilities[id];
}
