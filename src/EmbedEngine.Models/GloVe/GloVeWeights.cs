using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// GloVe's trainable state: word vectors W, context vectors W̃, their biases, and AdaGrad's squared-gradient sums
/// for all four. Rows are padded to a cache line.
/// </summary>
internal sealed class GloVeWeights : IDisposable
{
    /// <summary>
    /// Initialises as glove.c does: every weight and bias uniform in (rand − 0.5)/dim, every squared-gradient sum 1.
    /// </summary>
    public GloVeWeights(int vocabularySize, int dimension, ulong seed)
    {
        Word = NativeMatrix.Allocate(vocabularySize, dimension, padRows: true);
        Context = NativeMatrix.Allocate(vocabularySize, dimension, padRows: true);
        GradSqWord = NativeMatrix.Allocate(vocabularySize, dimension, padRows: true);
        GradSqContext = NativeMatrix.Allocate(vocabularySize, dimension, padRows: true);
        WordBias = new float[vocabularySize];
        ContextBias = new float[vocabularySize];
        GradSqWordBias = new float[vocabularySize];
        GradSqContextBias = new float[vocabularySize];
        var random = new FastRandom(seed);
        for (int r = 0; r < vocabularySize; r++)
        {
            Fill(Word.Row(r), ref random, dimension);
            Fill(Context.Row(r), ref random, dimension);
            WordBias[r] = (random.NextFloat() - 0.5f) / dimension;
            ContextBias[r] = (random.NextFloat() - 0.5f) / dimension;
            GradSqWord.Row(r).Fill(1f);
            GradSqContext.Row(r).Fill(1f);
        }
        GradSqWordBias.AsSpan().Fill(1f);
        GradSqContextBias.AsSpan().Fill(1f);
    }

    public NativeMatrix Word { get; private set; }
    public NativeMatrix Context { get; private set; }
    public NativeMatrix GradSqWord { get; }
    public NativeMatrix GradSqContext { get; }
    public float[] WordBias { get; }
    public float[] ContextBias { get; }
    public float[] GradSqWordBias { get; }
    public float[] GradSqContextBias { get; }

    /// <summary>Hands the chosen vectors to the caller (W, W̃, or W with W̃ added in place) and frees the rest.</summary>
    public NativeMatrix Detach(GloVeOutput output)
    {
        NativeMatrix result;
        if (output == GloVeOutput.ContextOnly)
        {
            result = Context;
            Context = null!;
        }
        else
        {
            if (output == GloVeOutput.Sum)
            {
                for (int r = 0; r < Word.Rows; r++) AxpyKernel.Axpy(1f, Context.Row(r), Word.Row(r));
            }
            result = Word;
            Word = null!;
        }
        Dispose();
        return result;
    }

    private static void Fill(Span<float> row, ref FastRandom random, int dimension)
    {
        for (int c = 0; c < row.Length; c++) row[c] = (random.NextFloat() - 0.5f) / dimension;
    }

    /// <summary>Frees every matrix still held.</summary>
    public void Dispose()
    {
        Word?.Dispose();
        Context?.Dispose();
        GradSqWord.Dispose();
        GradSqContext.Dispose();
    }
}
