using System.Runtime.InteropServices;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>fastText's <c>test</c>: the top-k labels of every labelled line, counted against its gold labels.</summary>
public static class ClassifierEvaluation
{
    /// <summary>Scores <paramref name="model"/> on the labelled file <paramref name="path"/>.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="path">One example per line, labels as in training; labels the model does not know are ignored.</param>
    /// <param name="k">Labels predicted per line, at most.</param>
    /// <param name="threshold">Labels less probable than this are not predicted.</param>
    /// <exception cref="CorpusException">No line has a label the model knows and a word it knows.</exception>
    public static ClassifierScore Test(ClassifierModel model, string path, int k = 1, float threshold = 0f)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var scratch = new ClassifierModel.Predictor(model);
        List<int> features = [], labels = [];
        var ranked = new List<(int Label, float Probability)>();
        long examples = 0, predicted = 0, gold = 0, correct = 0;
        foreach (string line in File.ReadLines(path))
        {
            features.Clear();
            labels.Clear();
            model.Dictionary.Encode(line, features, labels);
            if (features.Count == 0 || labels.Count == 0) continue;
            model.Predict(CollectionsMarshal.AsSpan(features), k, threshold, scratch, ranked);
            examples++;
            gold += labels.Count;
            predicted += ranked.Count;
            foreach ((int label, _) in ranked)
                if (labels.Contains(label)) correct++;
        }
        if (examples == 0)
            throw new CorpusException($"no line of '{path}' carries a label the model knows (e.g. '{model.Dictionary.Labels[0]}')");
        return new ClassifierScore(examples, k, predicted, gold, correct);
    }
}
