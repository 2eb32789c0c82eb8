using System.Diagnostics;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Keeps the weight matrices of the ranks of an <c>mpirun</c> job in step while each rank trains its own shard of the
/// corpus with its own Hogwild threads. Every round, each rank finds the rows it changed since the previous round
/// (against a copy of the values all ranks agreed on then), the ranks gather the union of those rows and sum their
/// changes to them, and each rank adds the others' changes to its own rows. A round's volume grows with the rows the
/// ranks touched, not with the vocabulary. The changes are summed, not averaged: a rare word's row, touched by one rank,
/// keeps its whole update, so N ranks train like N more Hogwild threads; averaging would divide the learning rate of
/// such rows by N.
/// </summary>
public sealed unsafe class RowDeltaSync : IDisposable
{
    /// <summary>How often the round thread looks whether a round is due.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(2);

    private readonly MpiWorld _world;
    private readonly long _stepsPerRound;
    private readonly Stopwatch _inRounds = new();
    private NativeMatrix[] _matrices = [];
    private NativeMatrix[] _agreed = [];
    private float[][] _vectors = [];
    private float[][] _agreedVectors = [];
    private long[] _globalAtRound = [];
    private long[] _localAtRound = [];
    private long _payloadBytes;
    private float[] _mine = [], _all = [];

    /// <summary>Rounds every <paramref name="stepsPerRound"/> steps (words, co-occurrence entries) trained by this rank.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsPerRound"/> is not positive.</exception>
    public RowDeltaSync(MpiWorld world, long stepsPerRound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerRound);
        _world = world;
        _stepsPerRound = stepsPerRound;
    }

    /// <summary>This rank.</summary>
    public int Rank => _world.Rank;

    /// <summary>The ranks in the job.</summary>
    public int Size => _world.Size;

    /// <summary>Rounds held so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>The mean bytes each rank put into a round's sum and row lists.</summary>
    public double BytesPerRound => Rounds == 0 ? 0 : (double)_payloadBytes / Rounds;

    /// <summary>Wall time the round thread spent in rounds, waiting for the other ranks included (the workers train on meanwhile).</summary>
    public TimeSpan TimeInRounds => _inRounds.Elapsed;

    /// <summary>Refuses ranks whose <paramref name="fingerprint"/> (options, corpus) differs from the others', on every rank at once.</summary>
    /// <exception cref="ArgumentException">The ranks differ.</exception>
    public void RequireAgreement(string fingerprint) => RankAgreement.Require(_world, fingerprint);

    /// <summary>
    /// Starts from rank 0's <paramref name="matrices"/> and <paramref name="vectors"/> on every rank and keeps a copy of
    /// them as the agreed values; <paramref name="counters"/> progress counters (words, sentences) are summed across
    /// ranks in every round. Vectors (biases, one value per word) are summed whole: their row lists would be as long as they are.
    /// </summary>
    internal void Attach(IReadOnlyList<NativeMatrix> matrices, int counters, IReadOnlyList<float[]>? vectors = null)
    {
        _vectors = [.. vectors ?? []];
        _agreedVectors = new float[_vectors.Length][];
        for (int v = 0; v < _vectors.Length; v++)
        {
            _world.Broadcast(_vectors[v], root: 0);
            _agreedVectors[v] = (float[])_vectors[v].Clone();
        }
        _matrices = [.. matrices];
        _agreed = new NativeMatrix[_matrices.Length];
        for (int m = 0; m < _matrices.Length; m++)
        {
            NativeMatrix matrix = _matrices[m];
            // One call per matrix where it fits one, not one per row: a fastText bucket matrix has millions.
            long length = (long)matrix.Rows * matrix.Stride;
            if (length <= int.MaxValue) _world.Broadcast(new Span<float>(matrix.Data, (int)length), root: 0);
            else for (int row = 0; row < matrix.Rows; row++) _world.Broadcast(matrix.Row(row), root: 0);
            _agreed[m] = NativeMatrix.Allocate(matrix.Rows, matrix.Columns);
            for (int row = 0; row < matrix.Rows; row++) matrix.Row(row).CopyTo(_agreed[m].Row(row));
        }
        _globalAtRound = new long[counters];
        _localAtRound = new long[counters];
    }

    /// <summary>The job's count so far, estimated from this rank's <paramref name="local"/> count since the last round.</summary>
    internal long Global(int counter, long local) => _globalAtRound[counter] + (local - _localAtRound[counter]) * Size;

    /// <summary>
    /// Runs <paramref name="train"/> (this rank's workers, to stop when its token says) and beside it the thread that
    /// holds this rank's rounds: one whenever this rank has trained the round's steps, one at once when its workers
    /// have finished, and the last after every rank has finished, so all ranks end with the same rows. A failure of
    /// either stops both and is rethrown here (the caller then ends the other ranks).
    /// </summary>
    /// <param name="train">Runs this rank's workers to the end, or until its token is cancelled.</param>
    /// <param name="readCounters">This rank's progress counters, as <see cref="Attach"/> declared them; the first counts the steps between rounds.</param>
    /// <param name="snapshot">The progress now; reported while the last rounds wait for slower ranks, and returned.</param>
    /// <param name="onProgress">Called about every <paramref name="interval"/> while the last rounds wait, and once at the end.</param>
    /// <param name="interval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    internal TrainingProgress TrainBeside(Action<CancellationToken> train, Func<long[]> readCounters, Func<TrainingProgress> snapshot,
        Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Exception? roundFailure = null;
        bool trained = false;
        var rounds = new Thread(() =>
        {
            try
            {
                HoldRounds(readCounters, () => Volatile.Read(ref trained), stop.Token);
            }
            catch (Exception e)
            {
                roundFailure = e;
                stop.Cancel();
            }
        })
        { IsBackground = true, Name = "rank rounds" };
        rounds.Start();
        try
        {
            train(stop.Token);
        }
        catch (OperationCanceledException) when (roundFailure != null)
        {
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        Volatile.Write(ref trained, true);
        while (!rounds.Join(interval)) onProgress?.Invoke(snapshot());
        if (roundFailure != null) throw roundFailure;
        TrainingProgress final = snapshot();
        onProgress?.Invoke(final);
        return final;
    }

    private void HoldRounds(Func<long[]> readCounters, Func<bool> finished, CancellationToken stop)
    {
        while (true)
        {
            bool done;
            while (!(done = finished()) && readCounters()[0] - _localAtRound[0] < _stepsPerRound)
            {
                stop.ThrowIfCancellationRequested();
                Thread.Sleep(Poll);
            }
            if (Round(readCounters(), done)) return;
        }
    }

    /// <summary>Frees the agreed copies.</summary>
    public void Dispose()
    {
        foreach (NativeMatrix matrix in _agreed) matrix.Dispose();
        _agreed = [];
    }

    /// <summary>One round; returns whether every rank was done at its start (then it was the last).</summary>
    private bool Round(long[] local, bool done)
    {
        _inRounds.Start();
        var sums = new long[local.Length + 1];
        for (int c = 0; c < local.Length; c++) sums[c] = local[c] - _localAtRound[c];
        sums[^1] = done ? 1 : 0;
        // The counters' sum is the rendezvous: it sleeps while a rank ahead waits for one behind. The large sums
        // after it find every rank there and spin, which moves them fastest (polled with sleeps, a pipelined sum of
        // megabytes advanced one segment per poll).
        _world.SumInPlace(sums, MpiWaiting.Sleep);
        for (int c = 0; c < local.Length; c++)
        {
            _globalAtRound[c] += sums[c];
            _localAtRound[c] = local[c];
        }
        for (int m = 0; m < _matrices.Length; m++) Exchange(_matrices[m], _agreed[m]);
        for (int v = 0; v < _vectors.Length; v++) Exchange(_vectors[v], _agreedVectors[v]);
        Rounds++;
        _inRounds.Stop();
        return sums[^1] == Size;
    }

    /// <summary>Sums every rank's changes to the rows any rank changed, and adds the others' changes here.</summary>
    private void Exchange(NativeMatrix matrix, NativeMatrix agreed)
    {
        var changed = new List<int>();
        for (int row = 0; row < matrix.Rows; row++)
            if (!matrix.Row(row).SequenceEqual(agreed.Row(row))) changed.Add(row);
        int[] rows = _world.GatherAll(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(changed));
        Array.Sort(rows);
        int count = rows.Length == 0 ? 0 : 1;
        for (int i = 1; i < rows.Length; i++)
            if (rows[i] != rows[count - 1]) rows[count++] = rows[i];
        int width = matrix.Columns;
        Span<float> mine = Buffer(ref _mine, count * width), all = Buffer(ref _all, count * width);
        for (int i = 0; i < count; i++)
        {
            Span<float> delta = mine.Slice(i * width, width);
            matrix.Row(rows[i]).CopyTo(delta);
            AxpyKernel.Axpy(-1f, agreed.Row(rows[i]), delta);
        }
        mine.CopyTo(all);
        _world.SumInPlace(all);
        _payloadBytes += (long)changed.Count * sizeof(int) + (long)all.Length * sizeof(float);
        for (int i = 0; i < count; i++)
            Apply(all.Slice(i * width, width), mine.Slice(i * width, width), agreed.Row(rows[i]), matrix.Row(rows[i]));
    }

    /// <summary>
    /// The first <paramref name="length"/> floats of a buffer kept from round to round (grown when short): a round's
    /// deltas run to megabytes, and allocating them anew every round cost more than computing them.
    /// </summary>
    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = GC.AllocateUninitializedArray<float>(length);
        return buffer.AsSpan(0, length);
    }

    /// <summary>Sums every rank's changes to a whole vector, and adds the others' changes here.</summary>
    private void Exchange(float[] vector, float[] agreed)
    {
        Span<float> mine = Buffer(ref _mine, vector.Length), all = Buffer(ref _all, vector.Length);
        vector.CopyTo(mine);
        AxpyKernel.Axpy(-1f, agreed, mine);
        mine.CopyTo(all);
        _world.SumInPlace(all);
        _payloadBytes += (long)all.Length * sizeof(float);
        Apply(all, mine, agreed, vector);
    }

    /// <summary>
    /// The agreed values move by the ranks' summed change; the trained ones by the other ranks' part of it, since
    /// they hold this rank's own part already (and whatever the workers added since it was read).
    /// </summary>
    private static void Apply(Span<float> sum, ReadOnlySpan<float> mine, Span<float> agreed, Span<float> trained)
    {
        AxpyKernel.Axpy(1f, sum, agreed);
        AxpyKernel.Axpy(-1f, mine, sum);
        AxpyKernel.Axpy(1f, sum, trained);
    }
}
