namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>Precision and recall at k over a labelled file, as fastText's <c>test</c> reports them.</summary>
/// <param name="Examples">Lines scored: those with at least one known label and one known feature.</param>
/// <param name="K">Labels predicted per line, at most.</param>
/// <param name="Predicted">Labels predicted over all lines.</param>
/// <param name="Gold">Gold labels over all lines.</param>
/// <param name="Correct">Predicted labels that were gold.</param>
public sealed record ClassifierScore(long Examples, int K, long Predicted, long Gold, long Correct)
{
    /// <summary>P@k: correct predictions over all predictions (NaN when nothing was predicted, as in fastText).</summary>
    public double Precision => (double)Correct / Predicted;

    /// <summary>R@k: correct predictions over all gold labels.</summary>
    public double Recall => (double)Correct / Gold;
}
