using System.Buffers;
using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Cosine search over document vectors through an inverted index: for each feature, the documents that hold it
/// and their weights divided by the document's length. A query touches only the postings of its own features,
/// so the cost follows the overlap, never documents × features. Immutable and thread-safe.
/// </summary>
public sealed class TfIdfSearchIndex
{
    private readonly int[] _postingStarts;
    private readonly int[] _documents;
    private readonly float[] _weights;

    /// <summary>Indexes the rows of <paramref name="documents"/> (e.g. <see cref="TfIdfFit.Documents"/>).</summary>
    public TfIdfSearchIndex(CsrMatrix documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.NonZeros > int.MaxValue)
            throw new ArgumentException($"The index holds at most {int.MaxValue} weights; these documents have {documents.NonZeros}.", nameof(documents));
        Documents = documents.Rows;
        _postingStarts = new int[documents.Columns + 1];
        foreach (int column in documents.ColumnIndices) _postingStarts[column + 1]++;
        for (int f = 0; f < documents.Columns; f++) _postingStarts[f + 1] += _postingStarts[f];
        _documents = new int[documents.NonZeros];
        _weights = new float[documents.NonZeros];
        int[] next = _postingStarts[..^1];
        float[] lengths = documents.RowNorms();
        for (int row = 0; row < documents.Rows; row++)
        {
            ReadOnlySpan<int> columns = documents.RowColumnIndices(row);
            ReadOnlySpan<float> values = documents.RowValues(row);
            for (int i = 0; i < columns.Length; i++)
            {
                int at = next[columns[i]]++;
                _documents[at] = row;
                _weights[at] = values[i] / lengths[row];
            }
        }
    }

    /// <summary>How many documents are indexed.</summary>
    public int Documents { get; }

    /// <summary>
    /// The <paramref name="top"/> documents most similar to <paramref name="query"/> by cosine, best first (ties
    /// to the lower row); only documents sharing a feature with the query are returned.
    /// </summary>
    /// <param name="query">One row: the query's weighted vector, as <see cref="TfIdfModel.Transform(IReadOnlyList{string})"/> gives it.</param>
    /// <param name="top">How many documents at most.</param>
    /// <exception cref="ArgumentException">The query is not one row.</exception>
    public IReadOnlyList<SearchHit> Search(CsrMatrix query, int top)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Rows != 1) throw new ArgumentException($"A query is one row, not {query.Rows}.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        float queryLength = query.RowNorms()[0];
        if (queryLength == 0) return [];
        ReadOnlySpan<int> queryFeatures = query.ColumnIndices;
        ReadOnlySpan<float> queryWeights = query.Values;
        float[] scores = ArrayPool<float>.Shared.Rent(Documents);
        try
        {
            Span<float> documentScores = scores.AsSpan(0, Documents);
            documentScores.Clear();
            for (int i = 0; i < queryFeatures.Length; i++)
            {
                int feature = queryFeatures[i];
                if ((uint)feature >= (uint)(_postingStarts.Length - 1)) continue;
                float weight = queryWeights[i] / queryLength;
                for (int at = _postingStarts[feature]; at < _postingStarts[feature + 1]; at++)
                    documentScores[_documents[at]] += weight * _weights[at];
            }
            // The selection skips NaN scores: marking documents that share no feature is cheaper than asking a
            // delegate about every document.
            foreach (ref float score in documentScores)
            {
                if (score <= 0) score = float.NaN;
            }
            int k = Math.Min(top, Documents);
            var rows = new int[k];
            var best = new float[k];
            int found = TopKCosineKernel.SelectTopK(documentScores, k, rows, best);
            var hits = new SearchHit[found];
            for (int i = 0; i < found; i++) hits[i] = new SearchHit(rows[i], best[i]);
            return hits;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
