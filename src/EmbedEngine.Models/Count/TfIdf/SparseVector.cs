namespace EmbedEngine.Models.Count;

/// <summary>One sparse vector: the nonzero entries' features, ascending, and their weights.</summary>
/// <param name="Indices">The features that hold a weight, ascending.</param>
/// <param name="Values">The weight of each feature in <paramref name="Indices"/>.</param>
public sealed record SparseVector(int[] Indices, double[] Values);
