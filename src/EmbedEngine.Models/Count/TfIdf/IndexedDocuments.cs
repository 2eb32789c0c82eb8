using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>Weighted document vectors to search, and the documents' names where they have them.</summary>
/// <param name="Vectors">One row per document.</param>
/// <param name="Names">One name per row (e.g. the file each document came from), or null when rows are only numbered.</param>
public sealed record IndexedDocuments(CsrMatrix Vectors, IReadOnlyList<string>? Names = null)
{
    /// <summary>The name of row <paramref name="row"/>, or its number when documents have no names.</summary>
    public string Describe(int row) => Names?[row] ?? row.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
