using EmbedEngine.Evaluation.Multimodal;
using static EmbedEngine.Evaluation.Tests.Multimodal.MultimodalData;

namespace EmbedEngine.Evaluation.Tests.Multimodal;

public class CrossModalRetrievalTests
{
    /// <summary>
    /// Unit rows i = (e1, e2, (e1 + e2)/√2, e1) and t = (e1, e1, e2, −e1), some given at other lengths. Image → text
    /// scores, row by row, with the partner marked: [1* 1 0 −1], [0 0* 1 0], [a a a* −a], [1 1 0 −1*] (a = 1/√2):
    /// (beaten by, tied with) (0, 1), (1, 2), (0, 2), (3, 0), expected ranks 1.5, 3, 2, 4. Text → image, the
    /// transpose: [1* 0 a 1], [1 0* a 1], [0 1 a* 0], [−1 0 −a −1*]: (0, 1), (3, 0), (1, 0), (2, 1), ranks 1.5, 4, 2, 3.5.
    /// </summary>
    private static readonly EmbeddingMatrix Images = Matrix([2, 0], [0, 1], [1, 1], [1, 0]);

    private static readonly EmbeddingMatrix Texts = Matrix([1, 0], [1, 0], [0, 1], [-3, 0]);

    [Fact]
    public void Ranks_by_hand_with_ties()
    {
        Assert.Equal([1.5, 3, 2, 4], CrossModalRetrieval.Ranks(Images, Texts));
        Assert.Equal([1.5, 4, 2, 3.5], CrossModalRetrieval.Ranks(Texts, Images));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(256)]
    public void Recall_by_hand_with_ties(int blockRows)
    {
        RetrievalReport report = CrossModalRetrieval.Evaluate(Images, Texts, [1, 2, 3, 10], blockRows);
        Assert.Equal(4, report.Pairs);
        Assert.Equal([1, 2, 3, 10], report.Ks);
        // Each query contributes the share of its tie-allowed ranks within K.
        Assert.Equal([(0.5 + 1.0 / 3) / 4, (1 + 1.0 / 3 + 2.0 / 3) / 4, (1 + 2.0 / 3 + 1) / 4, 1.0], report.ImageToText);
        Assert.Equal([0.5 / 4, 2.0 / 4, 2.5 / 4, 1.0], report.TextToImage);
        Assert.Equal(2.5, report.ImageToTextMedianRank);
        Assert.Equal(2.75, report.TextToImageMedianRank);
        Assert.Equal(
            "retrieval over 4 image-text pairs\n" +
            "image->text  R@1 20.83%  R@2 50.00%  R@3 66.67%  R@10 100.00%  median rank 2.5\n" +
            "text->image  R@1 12.50%  R@2 50.00%  R@3 62.50%  R@10 100.00%  median rank 2.75\n",
            report.Describe().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Default_cutoffs_are_1_5_and_10()
    {
        RetrievalReport report = CrossModalRetrieval.Evaluate(Images, Texts);
        Assert.Equal([1, 5, 10], report.Ks);
        Assert.Equal([(0.5 + 1.0 / 3) / 4, 1.0, 1.0], report.ImageToText);
    }

    [Fact]
    public void A_collapsed_model_scores_as_a_guess_among_its_ties()
    {
        var same = new EmbeddingMatrix([.. Enumerable.Repeat(1f, 20)], 10, 2);
        RetrievalReport report = CrossModalRetrieval.Evaluate(same, same);
        Assert.Equal(0.1, report.ImageToText[0], 12);
        Assert.Equal([0.5, 1.0], report.ImageToText.Skip(1));
        Assert.Equal(0.1, report.TextToImage[0], 12);
        Assert.Equal(5.5, report.ImageToTextMedianRank);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(7)]
    [InlineData(300)]
    public void Blocked_recall_equals_the_full_matrix_computed_by_brute_force(int blockRows)
    {
        const int N = 300; // not a multiple of the block: the last block is short
        var random = new Random(11);
        EmbeddingMatrix images = ExactRows(N, random), texts = ExactRows(N, random);
        int[] ks = [1, 5, 10, 50];
        ((int, int)[] imageToText, (int, int)[] textToImage) = BruteForcePlaces(images, texts);
        Assert.Contains(imageToText, place => place.Item1 > 0); // the data must exercise ranks and ties, not only hits
        Assert.True(CountTies(images, texts) > N, "the exact rows should tie often");

        RetrievalReport report = CrossModalRetrieval.Evaluate(images, texts, ks, blockRows);
        Assert.Equal([.. ks.Select(k => Recall(imageToText, k))], report.ImageToText);
        Assert.Equal([.. ks.Select(k => Recall(textToImage, k))], report.TextToImage);
        Assert.Equal(imageToText.Select(ExpectedRank), CrossModalRetrieval.Ranks(images, texts));
        Assert.Equal(textToImage.Select(ExpectedRank), CrossModalRetrieval.Ranks(texts, images));
    }

    [Fact]
    public void TopK_returns_the_nearest_candidates_best_first()
    {
        // Cosines with the query e1: 1, 0, a, −1, 1 (the last ties with the first and loses on index).
        EmbeddingMatrix candidates = Matrix([4, 0], [0, 1], [1, 1], [-1, 0], [1, 0]);
        RetrievalHit[] hits = CrossModalRetrieval.TopK([2, 0], candidates, 3);
        Assert.Equal([0, 4, 2], hits.Select(hit => hit.Index));
        Assert.Equal(1f, hits[0].Cosine, 6);
        Assert.Equal(1 / MathF.Sqrt(2), hits[2].Cosine, 6);
        Assert.Equal([0, 4, 2, 1, 3], CrossModalRetrieval.TopK([2, 0], candidates, 10).Select(hit => hit.Index));
    }

    [Fact]
    public void TopK_across_blocks_equals_brute_force()
    {
        var random = new Random(3);
        EmbeddingMatrix candidates = ExactRows(700, random), queries = ExactRows(5, random);
        double[] unitCandidates = UnitRowsInDouble(candidates), unitQueries = UnitRowsInDouble(queries);
        for (int q = 0; q < queries.Rows; q++)
        {
            double[] scores = [.. Enumerable.Range(0, candidates.Rows).Select(j => Dot(unitQueries, q, unitCandidates, j, 16))];
            int[] expected = [.. Enumerable.Range(0, candidates.Rows).OrderByDescending(j => scores[j]).ThenBy(j => j).Take(25)];
            RetrievalHit[] hits = CrossModalRetrieval.TopK(queries.Row(q), candidates, 25);
            Assert.Equal(expected, hits.Select(hit => hit.Index));
            Assert.Equal(expected.Select(j => (float)scores[j]), hits.Select(hit => hit.Cosine));
        }
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(Images, Matrix([1, 0], [0, 1])));
        Assert.Contains("'images' has 4 rows but 'texts' has 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(Images, Matrix([1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1])));
        Assert.Contains("dimension", e.Message);
        e = Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(Images, Texts, [1, 0]));
        Assert.Contains("K ≥ 1, not 0", e.Message);
        Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(Images, Texts, []));
        Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(new EmbeddingMatrix([], 0, 2), new EmbeddingMatrix([], 0, 2)));
        e = Assert.Throws<ArgumentException>(() => CrossModalRetrieval.TopK([1, 0, 0], Texts, 1));
        Assert.Contains("3 floats; the candidates have dimension 2", e.Message);
        Assert.Throws<ArgumentException>(() => CrossModalRetrieval.TopK([1, 0], Texts, 0));
        Assert.Throws<ArgumentException>(() => CrossModalRetrieval.TopK([1, float.PositiveInfinity], Texts, 1));
    }

    /// <summary>The definition, on the whole N × N matrix in double: (candidates strictly above the partner, others equal to it).</summary>
    private static ((int, int)[] ImageToText, (int, int)[] TextToImage) BruteForcePlaces(EmbeddingMatrix images, EmbeddingMatrix texts)
    {
        int n = images.Rows, d = images.Dimension;
        double[] unitImages = UnitRowsInDouble(images), unitTexts = UnitRowsInDouble(texts);
        var scores = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) scores[i, j] = Dot(unitImages, i, unitTexts, j, d);
        (int, int)[] imageToText = [.. Enumerable.Range(0, n).Select(i => (
            Enumerable.Range(0, n).Count(j => scores[i, j] > scores[i, i]), Enumerable.Range(0, n).Count(j => j != i && scores[i, j] == scores[i, i])))];
        (int, int)[] textToImage = [.. Enumerable.Range(0, n).Select(j => (
            Enumerable.Range(0, n).Count(i => scores[i, j] > scores[j, j]), Enumerable.Range(0, n).Count(i => i != j && scores[i, j] == scores[j, j])))];
        return (imageToText, textToImage);
    }

    private static int CountTies(EmbeddingMatrix images, EmbeddingMatrix texts)
    {
        double[] unitImages = UnitRowsInDouble(images), unitTexts = UnitRowsInDouble(texts);
        int ties = 0;
        for (int i = 0; i < images.Rows; i++)
        {
            double partner = Dot(unitImages, i, unitTexts, i, images.Dimension);
            for (int j = 0; j < texts.Rows; j++)
                if (j != i && Dot(unitImages, i, unitTexts, j, images.Dimension) == partner) ties++;
        }
        return ties;
    }

    private static double Dot(double[] a, int rowA, double[] b, int rowB, int d)
    {
        double sum = 0;
        for (int k = 0; k < d; k++) sum += a[rowA * d + k] * b[rowB * d + k];
        return sum;
    }

    private static double ExpectedRank((int Higher, int Tied) place) => 1 + place.Higher + place.Tied / 2.0;

    /// <summary>Each query counts the share of ranks Higher + 1 … Higher + Tied + 1 that fall within K.</summary>
    private static double Recall((int Higher, int Tied)[] places, int k) =>
        places.Sum(p => Math.Clamp((double)(k - p.Higher) / (p.Tied + 1), 0, 1)) / places.Length;
}
