using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// One call of a fused attention kernel as its threads see it: the shape, the operands and how the (sequence, head)
/// pairs are split. Every pair is computed whole by one thread in a fixed order, so the results do not depend on
/// the thread count.
/// </summary>
internal unsafe struct AttentionJob
{
    /// <summary>Below this many multiply-adds (a few microseconds) a call stays on the calling thread.</summary>
    private const long MinimumParallelWork = 1 << 16;

    public AttentionShape Shape;
    public AttentionOperand Q, K, V, Output, DOutput, DQ, DK, DV;
    public float* LogSumExp;

    /// <summary>Each sequence's valid key count, or null when all are valid.</summary>
    public int* KeyLengths;

    /// <summary>How many parts the (sequence, head) pairs are split into.</summary>
    public int Parts;

    /// <summary>Valid keys of sequence <paramref name="batch"/>.</summary>
    public readonly int KeyLength(int batch) => KeyLengths == null ? Shape.KeyLength : KeyLengths[batch];

    /// <summary>The log-sum-exp of the queries of one (sequence, head) pair.</summary>
    public readonly float* LogSumExpOf(int batch, int head) =>
        LogSumExp + ((long)batch * Shape.Heads + head) * Shape.QueryLength;

    /// <summary>
    /// Runs <paramref name="head"/> on every (sequence, head) pair, split into contiguous ranges over up to
    /// <paramref name="threads"/> threads (0: one per core), at least <see cref="MinimumParallelWork"/> each.
    /// </summary>
    public static void Run(ref AttentionJob job, int threads, delegate*<in AttentionJob, int, int, void> head)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int pairs = job.Shape.Batch * job.Shape.Heads;
        long work = (long)pairs * job.Shape.QueryLength * job.Shape.KeyLength * job.Shape.HeadDim;
        int cores = threads == 0 ? Environment.ProcessorCount : Math.Min(threads, Environment.ProcessorCount);
        job.Parts = (int)Math.Min(Math.Min(cores, pairs), Math.Max(1, work / MinimumParallelWork));
        job.Head = head;
        if (job.Parts <= 1)
        {
            for (int pair = 0; pair < pairs; pair++) head(job, pair / job.Shape.Heads, pair % job.Shape.Heads);
            return;
        }
        fixed (AttentionJob* state = &job) KernelThreads.Run(job.Parts, &RunPart, state);
    }

    private delegate*<in AttentionJob, int, int, void> Head;

    private static void RunPart(void* state, int part)
    {
        ref readonly AttentionJob job = ref *(AttentionJob*)state;
        int pairs = job.Shape.Batch * job.Shape.Heads;
        int first = (int)((long)pairs * part / job.Parts), end = (int)((long)pairs * (part + 1) / job.Parts);
        for (int pair = first; pair < end; pair++) job.Head(job, pair / job.Shape.Heads, pair % job.Shape.Heads);
    }
}
