using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// The two calls sentence-transformers users write, <c>model.encode(sentences)</c> and the cosine of two sentences,
/// for any <see cref="ISentenceEncoder"/>.
/// </summary>
public static class SentenceEncoderExtensions
{
    /// <summary>One vector per sentence, in the order given, computed in batches (<see cref="ISentenceEncoder.EncodeBatch"/>).</summary>
    public static float[][] Encode(this ISentenceEncoder encoder, IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sentences);
        int dimension = encoder.Dimension;
        var rows = new float[sentences.Count * dimension];
        encoder.EncodeBatch(sentences, rows);
        var vectors = new float[sentences.Count][];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = rows.AsSpan(i * dimension, dimension).ToArray();
        return vectors;
    }

    /// <summary>Cosine similarity of the two sentences' vectors; 0 when either is the zero vector (no word the encoder reads).</summary>
    public static float Similarity(this ISentenceEncoder encoder, string first, string second)
    {
        float[][] vectors = encoder.Encode([first, second]);
        float normProduct = MathF.Sqrt(DotKernel.Dot(vectors[0], vectors[0]) * DotKernel.Dot(vectors[1], vectors[1]));
        return normProduct == 0 ? 0 : DotKernel.Dot(vectors[0], vectors[1]) / normProduct;
    }
}
