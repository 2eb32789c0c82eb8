using System.Globalization;
using System.Text;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>The result of a zero-shot classification.</summary>
/// <param name="Correct">Images whose predicted class is their label.</param>
/// <param name="Total">Images classified.</param>
/// <param name="ClassCorrect">Per class: its images that were predicted correctly.</param>
/// <param name="ClassTotal">Per class: its images (labels equal to the class).</param>
/// <param name="Predictions">The predicted class of every image, in input order.</param>
public sealed record ZeroShotReport(int Correct, int Total, IReadOnlyList<int> ClassCorrect, IReadOnlyList<int> ClassTotal,
    IReadOnlyList<int> Predictions)
{
    /// <summary>Top-1 accuracy: Correct / Total.</summary>
    public double Accuracy => AnalogySection.Ratio(Correct, Total);

    /// <summary>Number of classes.</summary>
    public int Classes => ClassTotal.Count;

    /// <summary>The accuracy on the images of class <paramref name="c"/>; NaN when the class has no images.</summary>
    public double ClassAccuracy(int c) => ClassTotal[c] == 0 ? double.NaN : (double)ClassCorrect[c] / ClassTotal[c];

    /// <summary>The mean of the per-class accuracies over the classes that have images (balanced accuracy).</summary>
    public double MeanClassAccuracy
    {
        get
        {
            double sum = 0;
            int present = 0;
            for (int c = 0; c < Classes; c++)
            {
                if (ClassTotal[c] == 0) continue;
                sum += ClassAccuracy(c);
                present++;
            }
            return present == 0 ? double.NaN : sum / present;
        }
    }

    /// <summary>
    /// The report as lines of text (invariant culture): the top-1 accuracy, the mean per-class accuracy, then one line
    /// per class, named by <paramref name="classNames"/> when given.
    /// </summary>
    public string Describe(IReadOnlyList<string>? classNames = null)
    {
        if (classNames != null && classNames.Count != Classes)
            throw new ArgumentException($"{classNames.Count} class names for {Classes} classes.", nameof(classNames));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"zero-shot top-1: {Percent(Accuracy)} ({Correct}/{Total})");
        text.AppendLine(CultureInfo.InvariantCulture, $"mean per-class accuracy: {Percent(MeanClassAccuracy)} over {Classes} classes");
        for (int c = 0; c < Classes; c++)
        {
            string name = classNames == null ? c.ToString(CultureInfo.InvariantCulture) : $"{c} {classNames[c]}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name}: {Percent(ClassAccuracy(c))} ({ClassCorrect[c]}/{ClassTotal[c]})");
        }
        return text.ToString();
    }

    internal static string Percent(double ratio) =>
        double.IsNaN(ratio) ? "n/a" : (100 * ratio).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
