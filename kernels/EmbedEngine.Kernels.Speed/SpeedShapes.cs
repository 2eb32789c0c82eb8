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
}
