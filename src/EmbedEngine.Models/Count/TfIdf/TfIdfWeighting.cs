namespace EmbedEngine.Models.Count;

/// <summary>The TF-IDF formulas, in the order scikit-learn applies them: tf, then idf, then the norm.</summary>
internal static class TfIdfWeighting
{
    /// <summary>
    /// The idf of a term held by <paramref name="documentFrequency"/> of <paramref name="documents"/> documents.
    /// A hashed feature that no fitted document held weighs 0 under plain idf, where ln(n / 0) has no value.
    /// </summary>
    public static double Idf(IdfWeighting weighting, long documents, long documentFrequency) => weighting switch
    {
        IdfWeighting.Smooth => Math.Log((1.0 + documents) / (1.0 + documentFrequency)) + 1,
        IdfWeighting.Plain => documentFrequency == 0 ? 0 : Math.Log((double)documents / documentFrequency) + 1,
        _ => 1,
    };

    /// <summary>
    /// Turns the raw counts of one document (features ascending) into weights in place, dropping features whose
    /// weight is 0; returns how many remain.
    /// </summary>
    public static int Weigh(Span<int> features, Span<double> weights, ReadOnlySpan<double> idf, TfIdfOptions options)
    {
        int kept = 0;
        double squares = 0;
        for (int i = 0; i < features.Length; i++)
        {
            double count = options.BinaryTf ? 1 : weights[i];
            double tf = options.SublinearTf ? 1 + Math.Log(count) : count;
            double weight = tf * idf[features[i]];
            if (weight == 0) continue;
            features[kept] = features[i];
            weights[kept++] = weight;
            squares += weight * weight;
        }
        if (options.L2Normalize && squares > 0)
        {
            double scale = 1 / Math.Sqrt(squares);
            for (int i = 0; i < kept; i++) weights[i] *= scale;
        }
        return kept;
    }
}
