using EmbedEngine.Models.Training;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Count;

/// <summary>What a PPMI + SVD run produced.</summary>
/// <param name="Vectors">The word vectors, in vocabulary order.</param>
/// <param name="SingularValues">The singular values of the PPMI matrix, largest first, one per dimension.</param>
/// <param name="PpmiNonZeros">How many positive entries the PPMI matrix kept.</param>
/// <param name="CapturedFraction">Σσ² over the PPMI matrix's squared Frobenius norm: how much of it the vectors' rank keeps.</param>
/// <param name="Final">Progress at the end; its words are sparse nonzeros multiplied, over every product.</param>
public sealed record PpmiSvdResult(KeyedVectors Vectors, IReadOnlyList<float> SingularValues, long PpmiNonZeros,
    double CapturedFraction, TrainingProgress Final);
