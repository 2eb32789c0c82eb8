using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Evaluation.Sentence;

/// <summary>One file's correlations (×100) between the cosines of its sentence pairs and the gold scores.</summary>
public sealed record StsFileResult(string Group, string Name, int Pairs, double Spearman, double Pearson);

/// <summary>
/// One group's (a year, or SICK-R) correlations ×100 as SentEval reports them: the plain mean over its files and the
/// mean weighted by their pairs.
/// </summary>
public sealed record StsGroupResult(string Group, int Files, int Pairs, double Spearman, double Pearson, double WeightedSpearman, double WeightedPearson);

/// <summary>One file's pair cosines and gold scores, in file order.</summary>
/// <param name="Group">The file's group (a year, or SICK-R).</param>
/// <param name="Name">The file's name.</param>
/// <param name="Cosines">Each pair's cosine.</param>
/// <param name="Gold">Each pair's gold score.</param>
/// <param name="Encoded">Pairs whose two sentences both got a non-zero vector (the others score a cosine of 0).</param>
public sealed record StsScores(string Group, string Name, double[] Cosines, double[] Gold, int Encoded);

/// <summary>Every file's and group's correlations.</summary>
public sealed record StsReport(IReadOnlyList<StsFileResult> Files, IReadOnlyList<StsGroupResult> Groups);

/// <summary>
/// The SentEval protocol for STS without training: each pair's score is the cosine of the two sentence vectors
/// (0 when either is the zero vector, as a sentence with no known word gives), correlated with the gold scores.
/// </summary>
public static class StsEvaluator
{
    /// <summary>Scores <paramref name="encoder"/> on <paramref name="files"/>.</summary>
    public static StsReport Evaluate(ISentenceEncoder encoder, IReadOnlyList<StsFile> files) => Summarize(Score(encoder, files));

    /// <summary>Each file's pair cosines beside the gold scores, before they are correlated (a bootstrap resamples them).</summary>
    public static IReadOnlyList<StsScores> Score(ISentenceEncoder encoder, IReadOnlyList<StsFile> files)
    {
        var scored = new List<StsScores>(files.Count);
        int d = encoder.Dimension;
        foreach (StsFile file in files)
        {
            int count = file.Pairs.Count;
            var first = new float[count * d];
            var second = new float[count * d];
            encoder.EncodeBatch([.. file.Pairs.Select(p => p.First)], first);
            encoder.EncodeBatch([.. file.Pairs.Select(p => p.Second)], second);
            var gold = new double[count];
            var cosines = new double[count];
            int encoded = 0;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> a = first.AsSpan(i * d, d), b = second.AsSpan(i * d, d);
                cosines[i] = Cosine(a, b);
                gold[i] = file.Pairs[i].Score;
                if (a.ContainsAnyExcept(0f) && b.ContainsAnyExcept(0f)) encoded++;
            }
            scored.Add(new StsScores(file.Group, file.Name, cosines, gold, encoded));
        }
        return scored;
    }

    /// <summary>The correlations of <see cref="Score"/>'s cosines, per file and per group.</summary>
    public static StsReport Summarize(IReadOnlyList<StsScores> scored)
    {
        List<StsFileResult> results = [.. scored.Select(file => new StsFileResult(file.Group, file.Name, file.Gold.Length,
            100 * Spearman.Correlation(file.Cosines, file.Gold), 100 * Spearman.Pearson(file.Cosines, file.Gold)))];
        var groups = results.GroupBy(r => r.Group).Select(g =>
        {
            int pairs = g.Sum(r => r.Pairs);
            return new StsGroupResult(g.Key, g.Count(), pairs, g.Average(r => r.Spearman), g.Average(r => r.Pearson),
                g.Sum(r => r.Spearman * r.Pairs) / pairs, g.Sum(r => r.Pearson * r.Pairs) / pairs);
        }).ToList();
        return new StsReport(results, groups);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }
}
