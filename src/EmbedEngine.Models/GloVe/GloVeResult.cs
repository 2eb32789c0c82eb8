using EmbedEngine.Models.Training;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.GloVe;

/// <summary>What a GloVe training run produced.</summary>
/// <param name="Vectors">The word vectors (W, W̃ or W + W̃ as chosen), in vocabulary order.</param>
/// <param name="Final">Progress at the end; its words are co-occurrence entries, its loss the mean weighted cost per entry.</param>
public sealed record GloVeResult(KeyedVectors Vectors, TrainingProgress Final);
