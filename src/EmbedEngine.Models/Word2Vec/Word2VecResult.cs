using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>What a training run produced.</summary>
/// <param name="Vectors">The word vectors (syn0), frequency-ordered like the vocabulary.</param>
/// <param name="Vocabulary">The vocabulary they were trained on.</param>
/// <param name="Final">Progress at the end: words, rate, final loss.</param>
public sealed record Word2VecResult(KeyedVectors Vectors, Vocabulary Vocabulary, TrainingProgress Final);
