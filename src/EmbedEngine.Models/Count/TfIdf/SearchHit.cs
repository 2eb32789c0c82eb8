namespace EmbedEngine.Models.Count;

/// <summary>One search result.</summary>
/// <param name="Document">The document's row in the index, counted from 0.</param>
/// <param name="Score">Its cosine similarity to the query.</param>
public readonly record struct SearchHit(int Document, float Score);
