using System.Diagnostics;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Word vectors from a co-occurrence matrix by PPMI and truncated SVD (Levy, Goldberg and Dagan 2015):
/// W = U_k·Σ_k^p of the PPMI matrix, optionally with unit rows.
/// </summary>
public static class PpmiSvdTrainer
{
    /// <summary>Builds vectors for <paramref name="vocabulary"/> from <paramref name="counts"/>.</summary>
    /// <param name="counts">The co-occurrence matrix; one row and column per vocabulary word.</param>
    /// <param name="vocabulary">The vocabulary the matrix was counted with; its words key the result.</param>
    /// <param name="options">Options; validated first.</param>
    /// <param name="onProgress">Called after each sparse product of the SVD and once at the end; words are nonzeros
    /// multiplied, epochs the products done, the learning rate and loss NaN (an SVD has neither).</param>
    /// <param name="cancellation">Stops the run with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">Bad options, a vocabulary that does not fit the matrix, a dimension not
    /// below the vocabulary size, or a matrix with no positive PMI.</exception>
    public static PpmiSvdResult Train(CsrMatrix counts, Vocabulary vocabulary, PpmiSvdOptions options,
        Action<TrainingProgress>? onProgress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CooccurrenceInput.EnsureFits(counts, vocabulary);
        options.Svd.Validate(counts.Rows, counts.Rows);
        var clock = Stopwatch.StartNew();
        CsrMatrix ppmi = Ppmi.Compute(counts, options.Ppmi);
        if (ppmi.NonZeros == 0) throw new ArgumentException("the co-occurrence matrix has no positive PMI entries to factorize");

        int products = RandomizedSvd.ProductCount(options.Svd.PowerIterations);
        TrainingProgress Progress(int done) =>
            new(done * ppmi.NonZeros, products * ppmi.NonZeros, done, float.NaN, double.NaN, clock.Elapsed);
        using TruncatedSvd svd = RandomizedSvd.Compute(ppmi, options.Svd,
            onProgress == null ? null : done => onProgress(Progress(done)), cancellation);
        var vectors = new KeyedVectors(vocabulary.Words, WordMatrix(svd, options));
        TrainingProgress final = Progress(products);
        onProgress?.Invoke(final);
        return new PpmiSvdResult(vectors, svd.SingularValues, ppmi.NonZeros, CapturedFraction(ppmi, svd.SingularValues), final);
    }

    /// <summary>Word i's vector is row i of U·Σ^p: each singular vector is scaled, then the k × n block is transposed.</summary>
    private static NativeMatrix WordMatrix(TruncatedSvd svd, PpmiSvdOptions options)
    {
        for (int i = 0; i < svd.SingularValues.Count; i++)
            ScaleKernel.Scale((float)Math.Pow(svd.SingularValues[i], options.EigenvalueWeighting), svd.LeftVectors.Row(i));
        NativeMatrix words = DenseColumns.Transpose(svd.LeftVectors);
        if (options.NormalizeRows)
        {
            for (int r = 0; r < words.Rows; r++)
            {
                Span<float> row = words.Row(r);
                float norm = MathF.Sqrt(DotKernel.Dot(row, row));
                // A word with no positive PMI has a zero vector, which stays zero.
                if (norm > 0) ScaleKernel.Scale(1 / norm, row);
            }
        }
        return words;
    }

    private static double CapturedFraction(CsrMatrix ppmi, IReadOnlyList<float> singularValues)
    {
        double total = 0, captured = 0;
        foreach (float norm in ppmi.RowNorms()) total += (double)norm * norm;
        foreach (float sigma in singularValues) captured += (double)sigma * sigma;
        return captured / total;
    }
}
