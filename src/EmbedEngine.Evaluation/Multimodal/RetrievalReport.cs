using System.Globalization;
using System.Text;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>The result of a cross-modal retrieval evaluation over paired image and caption embeddings.</summary>
/// <param name="Pairs">N, the number of image–caption pairs (each side searched all N of the other).</param>
/// <param name="Ks">The cut-offs K, in report order.</param>
/// <param name="ImageToText">Recall@K of images querying captions, one per K.</param>
/// <param name="TextToImage">Recall@K of captions querying images, one per K.</param>
/// <param name="ImageToTextMedianRank">The median rank of the right caption (1 is best).</param>
/// <param name="TextToImageMedianRank">The median rank of the right image.</param>
public sealed record RetrievalReport(int Pairs, IReadOnlyList<int> Ks, IReadOnlyList<double> ImageToText,
    IReadOnlyList<double> TextToImage, double ImageToTextMedianRank, double TextToImageMedianRank)
{
    /// <summary>Three lines of text (invariant culture): the pair count, then Recall@K and the median rank each way.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"retrieval over {Pairs} image-text pairs");
        Line(text, "image->text", ImageToText, ImageToTextMedianRank);
        Line(text, "text->image", TextToImage, TextToImageMedianRank);
        return text.ToString();
    }

    private void Line(StringBuilder text, string direction, IReadOnlyList<double> recalls, double medianRank)
    {
        text.Append(direction);
        for (int i = 0; i < Ks.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"  R@{Ks[i]} {ZeroShotReport.Percent(recalls[i])}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  median rank {medianRank}");
    }
}
