using System.Runtime.CompilerServices;
using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One worker's private copy of the first rows of a shared output matrix — the most frequent words', which every
/// worker updates as targets and negatives. The worker trains the copy in their place and merges it every so many
/// row updates: it adds what it changed since its last merge to the shared rows and takes them, with the other workers'
/// changes, as its new start (as ranks merge their rows in a distributed run). Updated in place by two cores, these
/// rows' cache lines travel between the cores on nearly every update: on a 2-core EPYC, 2 threads ran no faster than
/// one, and 1.5–1.8x with a private output matrix per thread.
/// </summary>
internal sealed unsafe class StagedRows
{
    private readonly NativeMatrix _shared;
    private readonly Lock _mergeGate;
    private readonly long _updatesPerMerge;
    private readonly int _floats;

    // Pinned, so the kernels may keep raw pointers into them; the collector frees them with the worker.
    private readonly float[] _trainedStorage, _startStorage;
    private readonly float* _trained, _start;
    private long _updatesSinceMerge;

    /// <summary>Copies the first <paramref name="rows"/> rows of <paramref name="shared"/>.</summary>
    /// <param name="shared">The output matrix all workers train.</param>
    /// <param name="rows">Rows held privately: the most frequent words' (ids are by descending frequency).</param>
    /// <param name="updatesPerMerge">
    /// Row updates (targets scored) the worker makes between merges: the work done, where words would merge a CBOW
    /// run, with a sixth of skip-gram's updates per word, six times as often.
    /// </param>
    /// <param name="mergeGate">Taken by every merge into <paramref name="shared"/>, so two merges never add over each other.</param>
    public StagedRows(NativeMatrix shared, int rows, long updatesPerMerge, Lock mergeGate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(updatesPerMerge);
        _shared = shared;
        Count = Math.Min(rows, shared.Rows);
        _updatesPerMerge = updatesPerMerge;
        _mergeGate = mergeGate;
        _floats = Count * shared.Stride;
        _trained = AlignedPinned(_floats, out _trainedStorage);
        _start = AlignedPinned(_floats, out _startStorage);
        lock (_mergeGate) Shared.CopyTo(Trained);
        Trained.CopyTo(Start);
    }

    /// <summary>Rows held privately.</summary>
    public int Count { get; }

    /// <summary>
    /// Bytes all threads' copies may take together (two copies a thread: trained and start). It bounds the memory and
    /// the merges' traffic as threads are added, and holds every row of a 15,000-word, 200-dimension matrix at 2 threads.
    /// </summary>
    public const long BudgetBytes = 64L << 20;

    /// <summary>The rows of <paramref name="shared"/> each of <paramref name="threads"/> threads may stage within <see cref="BudgetBytes"/>.</summary>
    public static int Affordable(NativeMatrix shared, int threads)
        => (int)Math.Min(shared.Rows, BudgetBytes / (2L * threads * shared.Stride * sizeof(float)));

    /// <summary>The output rows the worker trains: its copy below <see cref="Count"/>, the shared matrix above.</summary>
    public OutputRows Rows => new(_shared.Data, _shared.Stride, _trained, Count);

    private Span<float> Shared => new(_shared.Data, _floats);

    private Span<float> Trained => new(_trained, _floats);

    private Span<float> Start => new(_start, _floats);

    /// <summary>Counts <paramref name="updates"/> row updates made; merges when a merge is due.</summary>
    public void CountUpdates(long updates)
    {
        _updatesSinceMerge += updates;
        if (_updatesSinceMerge >= _updatesPerMerge) Merge();
    }

    /// <summary>
    /// Adds the copy's changes since the last merge to the shared rows, then restarts the copy from them: one block
    /// of <see cref="MergeBlockFloats"/> at a time, so each block's four steps run on data in the core's L1 and the
    /// copies and shared rows pass through memory once, not four times.
    /// </summary>
    public void Merge()
    {
        lock (_mergeGate)
        {
            for (int at = 0; at < _floats; at += MergeBlockFloats)
            {
                int length = Math.Min(MergeBlockFloats, _floats - at);
                Span<float> trained = Trained.Slice(at, length), start = Start.Slice(at, length), shared = Shared.Slice(at, length);
                AxpyKernel.Axpy(-1f, start, trained);
                AxpyKernel.Axpy(1f, trained, shared);
                shared.CopyTo(trained);
                trained.CopyTo(start);
            }
        }
        _updatesSinceMerge = 0;
    }

    /// <summary>Floats merged per block: three blocks of 16 KiB (trained, start, shared) stay in a 48 KiB L1 data cache.</summary>
    private const int MergeBlockFloats = 4096;

    /// <summary>A zeroed, pinned buffer of <paramref name="floats"/> starting on a cache line, as NativeMatrix rows do.</summary>
    private static float* AlignedPinned(int floats, out float[] storage)
    {
        storage = GC.AllocateArray<float>(floats + NativeMatrix.Alignment / sizeof(float), pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref storage[0]);
        return (float*)((start + NativeMatrix.Alignment - 1) & ~(nint)(NativeMatrix.Alignment - 1));
    }
}
