using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// PV-DM's input layer as gensim's train_document_dm builds it with dm_mean=1 (its default): the mean of the document
/// vector and the vectors of the words around the predicted one, within a window reduced at random as word2vec's.
/// Training and inference build it alike, so both read it from here.
/// </summary>
internal static unsafe class DistributedMemoryInput
{
    /// <summary>
    /// Writes into <paramref name="context"/> the words of <paramref name="kept"/> within <paramref name="radius"/>
    /// of <paramref name="position"/>, the word itself left out; returns how many.
    /// </summary>
    public static int Context(ReadOnlySpan<int> kept, int position, int radius, Span<int> context)
    {
        int count = 0;
        int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
        for (int j = from; j <= to; j++)
            if (j != position) context[count++] = kept[j];
        return count;
    }

    /// <summary>hidden ← (document + Σ word vectors of <paramref name="context"/>) / (1 + context count).</summary>
    public static void Mean(ReadOnlySpan<float> document, NativeMatrix words, ReadOnlySpan<int> context, Span<float> hidden)
    {
        if (context.IsEmpty)
        {
            document.CopyTo(hidden); // a document of one kept word: the mean of the document vector alone
            return;
        }
        CbowKernel.Average(words.Data, words.Stride, context, hidden);
        // The kernel averages the words alone; the document vector joins the mean as one more input.
        float share = 1f / (context.Length + 1);
        ScaleKernel.Scale(context.Length * share, hidden);
        AxpyKernel.Axpy(share, document, hidden);
    }
}
