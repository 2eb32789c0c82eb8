using System.Buffers;

namespace EmbedEngine.Distributed;

/// <summary>
/// The processes of one <c>mpirun</c> job: this process's rank, their number, and the collective and point-to-point
/// operations data-parallel training needs, over Open MPI. One per process: MPI starts once and finishes once.
/// </summary>
public sealed unsafe class MpiWorld : IDisposable
{
    private static readonly Lock StartLock = new();
    private static bool _started;

    private readonly OpenMpiLibrary _mpi;
    private bool _finished;

    private MpiWorld(OpenMpiLibrary mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>Whether this process was started by Open MPI's <c>mpirun</c>.</summary>
    public static bool LaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") != null;

    /// <summary>Starts MPI in this process (once).</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed.</exception>
    /// <exception cref="InvalidOperationException">MPI was started before in this process.</exception>
    public static MpiWorld Start()
    {
        lock (StartLock)
        {
            if (_started) throw new InvalidOperationException("MPI was started already in this process; it starts once and finishes once.");
            OpenMpiLibrary mpi = OpenMpiLibrary.Load();
            // Serialized, not single: a trainer's synchronisation thread, not the main thread, makes the calls.
            int provided;
            mpi.Check(mpi.InitThread(null, null, OpenMpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
            _started = true;
            if (provided < OpenMpiLibrary.ThreadSerialized)
                throw new MpiException($"This Open MPI gives thread level {provided}; EmbedEngine needs MPI_THREAD_SERIALIZED ({OpenMpiLibrary.ThreadSerialized}).");
            int rank, size;
            mpi.Check(mpi.CommRank(mpi.World, &rank), "MPI_Comm_rank");
            mpi.Check(mpi.CommSize(mpi.World, &size), "MPI_Comm_size");
            return new MpiWorld(mpi, rank, size);
        }
    }

    /// <summary>Every rank's <paramref name="values"/> summed, element by element, into every rank's <paramref name="values"/>.</summary>
    public void SumInPlace(Span<float> values, MpiWaiting waiting = MpiWaiting.Spin)
    {
        fixed (float* p = values) Reduce(p, values.Length, _mpi.Float, _mpi.Sum, waiting);
    }

    /// <inheritdoc cref="SumInPlace(Span{float}, MpiWaiting)"/>
    public void SumInPlace(Span<double> values, MpiWaiting waiting = MpiWaiting.Spin)
    {
        fixed (double* p = values) Reduce(p, values.Length, _mpi.Double, _mpi.Sum, waiting);
    }

    /// <inheritdoc cref="SumInPlace(Span{float}, MpiWaiting)"/>
    public void SumInPlace(Span<long> values, MpiWaiting waiting = MpiWaiting.Spin)
    {
        fixed (long* p = values) Reduce(p, values.Length, _mpi.Long, _mpi.Sum, waiting);
    }

    /// <summary>
    /// Starts summing every rank's <paramref name="values"/> into every rank's, and returns at once; the sum is there
    /// once the request is waited for (or tested complete), and the memory stays pinned until then. MPI moves it on
    /// within MPI calls, so a caller that computes meanwhile should test its requests now and then.
    /// </summary>
    public MpiRequest StartSum(Memory<float> values)
    {
        MemoryHandle pinned = values.Pin();
        nint request;
        int code = _mpi.Iallreduce(OpenMpiLibrary.InPlace, pinned.Pointer, values.Length, _mpi.Float, _mpi.Sum, _mpi.World, &request);
        return Started(code, "MPI_Iallreduce", request, pinned);
    }

    /// <summary>The element-wise maximum over every rank's <paramref name="values"/>, on every rank.</summary>
    public void MaxInPlace(Span<long> values)
    {
        fixed (long* p = values) Reduce(p, values.Length, _mpi.Long, _mpi.Max, MpiWaiting.Spin);
    }

    /// <summary>Every rank's <paramref name="values"/>, concatenated in rank order, on every rank (the lists may differ in length).</summary>
    public int[] GatherAll(ReadOnlySpan<int> values, MpiWaiting waiting = MpiWaiting.Spin) => GatherAll(values, _mpi.Int, waiting);

    /// <inheritdoc cref="GatherAll(ReadOnlySpan{int}, MpiWaiting)"/>
    public float[] GatherAll(ReadOnlySpan<float> values, MpiWaiting waiting = MpiWaiting.Spin) => GatherAll(values, _mpi.Float, waiting);

    private T[] GatherAll<T>(ReadOnlySpan<T> values, nint type, MpiWaiting waiting) where T : unmanaged
    {
        var counts = new int[Size];
        int count = values.Length;
        fixed (int* c = counts)
        {
            nint request;
            _mpi.Check(_mpi.Iallgather(&count, 1, _mpi.Int, c, 1, _mpi.Int, _mpi.World, &request), "MPI_Iallgather");
            Complete(ref request, waiting);
        }
        var offsets = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            offsets[r] = (int)total;
            total += counts[r];
        }
        if (total > Array.MaxLength) throw new MpiException($"The ranks' lists hold {total} values together, more than one array can.");
        var all = new T[total];
        fixed (T* send = values)
        fixed (T* receive = all)
        fixed (int* c = counts)
        fixed (int* o = offsets)
        {
            nint request;
            _mpi.Check(_mpi.Iallgatherv(send, count, type, receive, c, o, type, _mpi.World, &request), "MPI_Iallgatherv");
            Complete(ref request, waiting);
        }
        return all;
    }

    /// <summary>Rank <paramref name="root"/>'s <paramref name="values"/> copied to every rank.</summary>
    public void Broadcast(Span<float> values, int root)
    {
        fixed (float* p = values) _mpi.Check(_mpi.Bcast(p, values.Length, _mpi.Float, Root(root), _mpi.World), "MPI_Bcast");
    }

    /// <inheritdoc cref="Broadcast(Span{float}, int)"/>
    public void Broadcast(Span<long> values, int root)
    {
        fixed (long* p = values) _mpi.Check(_mpi.Bcast(p, values.Length, _mpi.Long, Root(root), _mpi.World), "MPI_Bcast");
    }

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier() => _mpi.Check(_mpi.Barrier(_mpi.World), "MPI_Barrier");

    /// <summary>Starts sending <paramref name="values"/> to rank <paramref name="destination"/>; the memory stays pinned until the request is waited for.</summary>
    /// <exception cref="ArgumentException">The values exceed one message (2 GiB).</exception>
    public MpiRequest Send<T>(Memory<T> values, int destination, int tag) where T : unmanaged
    {
        int bytes = MessageBytes<T>(values.Length);
        MemoryHandle pinned = values.Pin();
        nint request;
        int code = _mpi.Isend(pinned.Pointer, bytes, _mpi.Byte, Root(destination), tag, _mpi.World, &request);
        return Started(code, "MPI_Isend", request, pinned);
    }

    /// <summary>Starts receiving into <paramref name="values"/> from rank <paramref name="source"/>; complete once the request is waited for.</summary>
    /// <exception cref="ArgumentException">The values exceed one message (2 GiB).</exception>
    public MpiRequest Receive<T>(Memory<T> values, int source, int tag) where T : unmanaged
    {
        int bytes = MessageBytes<T>(values.Length);
        MemoryHandle pinned = values.Pin();
        nint request;
        int code = _mpi.Irecv(pinned.Pointer, bytes, _mpi.Byte, Root(source), tag, _mpi.World, &request);
        return Started(code, "MPI_Irecv", request, pinned);
    }

    /// <summary>Ends the whole job now, every rank, with <paramref name="code"/>: what a rank calls when it cannot go on, so no other rank waits for it forever.</summary>
    public void Abort(int code) => _mpi.Abort(_mpi.World, code);

    /// <summary>Finishes MPI in this process.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        _mpi.Check(_mpi.Finalize(), "MPI_Finalize");
    }

    internal bool TestFor(ref nint request)
    {
        MpiStatus status;
        int done;
        fixed (nint* r = &request) _mpi.Check(_mpi.Test(r, &done, &status), "MPI_Test");
        return done != 0;
    }

    internal void WaitFor(ref nint request)
    {
        MpiStatus status;
        fixed (nint* r = &request) _mpi.Check(_mpi.Wait(r, &status), "MPI_Wait");
    }

    private void Reduce(void* values, int count, nint type, nint operation, MpiWaiting waiting)
    {
        if (waiting == MpiWaiting.Spin)
        {
            _mpi.Check(_mpi.Allreduce(OpenMpiLibrary.InPlace, values, count, type, operation, _mpi.World), "MPI_Allreduce");
            return;
        }
        nint request;
        _mpi.Check(_mpi.Iallreduce(OpenMpiLibrary.InPlace, values, count, type, operation, _mpi.World, &request), "MPI_Iallreduce");
        Complete(ref request, waiting);
    }

    /// <summary>Waits for a non-blocking collective: MPI_Wait's spin, or MPI_Test polls with sleeps that grow to a millisecond.</summary>
    private void Complete(ref nint request, MpiWaiting waiting)
    {
        if (waiting == MpiWaiting.Spin)
        {
            WaitFor(ref request);
            return;
        }
        for (int polls = 0; !TestFor(ref request); polls++)
        {
            // The first polls only yield: a sum that is nearly through should not pay a whole sleep.
            if (polls < 16) Thread.Yield();
            else Thread.Sleep(1);
        }
    }

    private MpiRequest Started(int code, string call, nint request, MemoryHandle pinned)
    {
        if (code != 0) pinned.Dispose();
        _mpi.Check(code, call);
        return new MpiRequest(this, request, pinned);
    }

    private static int MessageBytes<T>(int length) where T : unmanaged =>
        (long)length * sizeof(T) <= int.MaxValue ? length * sizeof(T)
            : throw new ArgumentException($"{length} values of {sizeof(T)} bytes exceed one MPI message (2 GiB); send them in parts.");

    private int Root(int rank) => (uint)rank < (uint)Size ? rank : throw new ArgumentOutOfRangeException(nameof(rank), $"Rank {rank} is not in this job of {Size}.");
}
