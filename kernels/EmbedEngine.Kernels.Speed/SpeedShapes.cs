namespace EmbedEngine.Kernels.Speed;

/// <summary>
/// The standard shapes, defined once: <c>embed bench speed</c> times every variant on them and the BenchmarkDotNet
/// classes in perf/EmbedEngine.Perf take their parameters from here, so both tools measure the same problems.
/// </summary>
public static class SpeedShapes
{
    /// <summary>Vector lengths of Dot, Axpy and the word2vec and GloVe updates: word2vec's usual dims.</summary>
    public static readonly int[] VectorDims = [100, 200, 300];

    /// <summary>Context rows of one skip-gram or CBOW window.</summary>
    public const int SgnsContextRows = 8;

    /// <summary>Output rows of one window (and targets of one logistic update): the true word and five negatives.</summary>
    public const int SgnsOutputs = 6;

    /// <summary>Rows of the input and output tables the window's rows are drawn from.</summary>
    public const int SgnsTableRows = 1024;

    /// <summary>Rows of GloVe's word and context tables.</summary>
    public const int GloveRows = 1024;

    /// <summary>Co-occurrence entries GloVe's case cycles through (a power of two), drawn once and shuffled.</summary>
    public const int GloveEntries = 4096;

    /// <summary>GloVe steps per timed call, so a call is long enough to time against the loop around it.</summary>
    public const int GloveEntriesPerCall = 16;

    /// <summary>Rows of the dense (softmax, GELU, layer norm) problems.</summary>
    public const int DenseRows = 64;

    /// <summary>Columns of the dense problems: BERT-base width, so 192 KiB per matrix stays in L2 and the arithmetic is timed, not memory.</summary>
    public const int DenseColumns = 768;

    /// <summary>Square SGEMM sizes, small enough that the scalar triple loop takes tens of milliseconds.</summary>
    public static readonly int[] GemmSizes = [256];

    /// <summary>
    /// Parameters of the optimizer update: 64 MiB per array, 256 MiB for Adam's four, past even a large server's last
    /// level cache, so it is timed against memory bandwidth (at 16 MiB per array a 100+ MiB L3 held them all).
    /// </summary>
    public const int OptimizerParameters = 16 << 20;

    /// <summary>Self-attention heads of the forward case.</summary>
    public const int AttentionHeads = 8;

    /// <summary>Sequence length (queries = keys) of the forward case: the scalar reference takes about 0.1 s a call.</summary>
    public const int AttentionLength = 256;

    /// <summary>Floats per head.</summary>
    public const int AttentionHeadDim = 64;

    /// <summary>Rows a TopK cosine query scores (at <see cref="VectorDims"/>): 1.6 to 4.9 MB, so the matrix streams from L3 as a real vocabulary would from memory.</summary>
    public const int TopKRows = 4096;

    /// <summary>Rows of the dense sketch the sparse product reads (and columns of the sparse rows): a slice that fits in L2/L3.</summary>
    public const int SparseDenseRows = 4096;

    /// <summary>Sparse rows of one block of the product and of the norms.</summary>
    public const int SparseRows = 256;

    /// <summary>Nonzeros of the longest sparse row: rows hold this over 1 to 32, about 130 on average.</summary>
    public const int SparseLongestRow = 1024;

    /// <summary>Columns of randomized SVD's sketch: GloVe-sized vectors plus oversampling, and a wider one.</summary>
    public static readonly int[] SparseWidths = [210, 320];

    /// <summary>Rows (sequences of the batch) of one LSTM cell step: issue 14's batch.</summary>
    public const int LstmBatch = 32;

    /// <summary>Hidden size of the LSTM cell: 32 × 256 floats a state, 128 KiB of gates, in L2.</summary>
    public const int LstmHidden = 256;

    /// <summary>Pairs of the InfoNCE batch: the largest at which the scalar reference (N × N logits) takes milliseconds, not seconds.</summary>
    public const int InfoNceBatch = 256;

    /// <summary>Width of the InfoNCE embeddings.</summary>
    public const int InfoNceDim = 128;
}
