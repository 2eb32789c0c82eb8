using System.Diagnostics;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One rank's part in synchronous data-parallel SGD: its contiguous share of each global batch, and the sum across
/// ranks of the gradients (each weighted by its share of the batch, so the sum is the whole batch's mean-loss gradient)
/// and of the loss. Ranks started with different options are refused at once, on every rank.
/// </summary>
public sealed class DataParallelStep
{
    private readonly MpiWorld _world;

    /// <summary>Checks that every rank runs with the same options (their <paramref name="fingerprint"/>).</summary>
    /// <exception cref="ArgumentException">The ranks' options differ, the batch is smaller than the job, or the device is not the CPU.</exception>
    public DataParallelStep(MpiWorld world, string fingerprint, int batchSize, string device)
    {
        _world = world;
        RankAgreement.Require(world, fingerprint);
        if (batchSize < world.Size) throw new ArgumentException($"A batch of {batchSize} cannot be shared by {world.Size} ranks.");
        if (device != "cpu") throw new ArgumentException("Distributed training runs on the CPU; the gradients are summed from host memory.");
    }

    /// <summary>Ranks in the job.</summary>
    public int Size => _world.Size;

    /// <summary>This rank's rows of a global batch of <paramref name="rows"/>: where they start and how many (possibly none).</summary>
    public (int First, int Count) Share(int rows) => Share(rows, _world.Rank);

    /// <summary>Rank <paramref name="rank"/>'s rows of a global batch of <paramref name="rows"/>.</summary>
    public (int First, int Count) Share(int rows, int rank)
    {
        int first = (int)((long)rows * rank / _world.Size), end = (int)((long)rows * (rank + 1) / _world.Size);
        return (first, end - first);
    }

    /// <summary>This rank's place in the job.</summary>
    public int Rank => _world.Rank;

    /// <summary>Floats per bucket of gradients summed in one call (a parameter larger than that is a bucket of its own).</summary>
    private const int BucketFloats = 1 << 18;

    private Bucket[]? _buckets;
    private int[] _bucketOf = [];
    private readonly Stopwatch _waiting = new();

    /// <summary>Time this rank spent after its backward passes waiting for the sums to finish: the communication not hidden behind computing.</summary>
    public TimeSpan WaitingTime => _waiting.Elapsed;

    /// <summary>Gradient floats each rank puts into the sums of one step.</summary>
    public long FloatsPerStep { get; private set; }

    /// <summary>Floats of the rows each rank gathered in the last step (<see cref="GatherRows"/>; 0: none).</summary>
    public long GatheredFloatsPerStep { get; private set; }

    /// <summary>The step's gathers of rows whose whole batch a loss needs on every rank (a contrastive loss's embeddings).</summary>
    public GatheredRows GatherRows()
    {
        GatheredFloatsPerStep = 0;
        return new GatheredRows(_world, floats => GatheredFloatsPerStep += floats);
    }

    /// <summary>
    /// Runs the backward pass of this rank's <paramref name="loss"/>, a mean over its <paramref name="count"/> items
    /// (rows, or the tokens a loss counts; null: no rows this step), and turns each parameter's gradient into that of
    /// the whole batch's mean over its <paramref name="total"/> items on every rank. The gradients are summed in
    /// buckets, each started as soon as its parameters' gradients are final, so the sums of the last layers travel
    /// while the first layers' gradients are still computed. Returns the batch's mean loss.
    /// </summary>
    public double Backward(Tensor? loss, IReadOnlyList<Tensor> parameters, double lossValue, int count, int total)
    {
        // A batch whose loss counts nothing (every target ignored) has a zero loss and gradient, as in one process.
        float share = total == 0 ? 0f : (float)count / total;
        SumGradients(loss, parameters, _ => share);
        double[] batchLoss = [lossValue * share];
        _waiting.Start();
        _world.SumInPlace(batchLoss);
        _waiting.Stop();
        return batchLoss[0];
    }

    /// <summary>
    /// Runs the backward pass of <paramref name="loss"/>, the whole batch's loss that every rank computed alike from
    /// rows it gathered (<see cref="GatherRows"/>), and sums each parameter's gradient across ranks: each rank's is
    /// the part its own rows carry. A parameter of <paramref name="replicated"/> enters the loss directly (a learned
    /// logit scale), so every rank has its whole gradient: rank 0's alone is kept, not counted once per rank.
    /// </summary>
    public void BackwardWhole(Tensor loss, IReadOnlyList<Tensor> parameters, IReadOnlyCollection<Tensor> replicated)
    {
        float lead = _world.Rank == 0 ? 1f : 0f;
        SumGradients(loss, parameters, p => replicated.Contains(parameters[p]) ? lead : 1f);
    }

    /// <summary>The backward pass of <paramref name="loss"/>, each parameter's gradient times its weight summed across ranks in buckets.</summary>
    private void SumGradients(Tensor? loss, IReadOnlyList<Tensor> parameters, Func<int, float> weight)
    {
        _buckets ??= Plan(parameters);
        var started = 0;
        void StartReady()
        {
            // In bucket order on every rank: collectives are matched by the order they are called in.
            while (started < _buckets.Length && _buckets[started].Pending == 0) _buckets[started++].Start(_world, parameters, weight);
        }
        foreach (Bucket bucket in _buckets) bucket.Pending = bucket.Parameters.Length;
        if (loss != null)
            loss.Backward(parameters, parameter =>
            {
                _buckets[_bucketOf[parameter]].Pending--;
                StartReady();
                // MPI moves a non-blocking sum on only inside MPI calls.
                foreach (Bucket bucket in _buckets.AsSpan(0, started)) bucket.Request!.Test();
            });
        else
            foreach (Bucket bucket in _buckets) bucket.Pending = 0;
        StartReady();
        _waiting.Start();
        foreach (Bucket bucket in _buckets) bucket.Finish(parameters);
        _waiting.Stop();
    }

    /// <summary>Buckets of parameters in reverse order, the order in which a backward pass finishes their gradients.</summary>
    private Bucket[] Plan(IReadOnlyList<Tensor> parameters)
    {
        var buckets = new List<Bucket>();
        var members = new List<int>();
        int floats = 0;
        _bucketOf = new int[parameters.Count];
        for (int p = parameters.Count - 1; p >= 0; p--)
        {
            if (members.Count > 0 && floats + parameters[p].Count > BucketFloats)
            {
                buckets.Add(new Bucket([.. members], floats));
                (members, floats) = ([], 0);
            }
            members.Add(p);
            _bucketOf[p] = buckets.Count;
            floats += parameters[p].Count;
            FloatsPerStep += parameters[p].Count;
        }
        if (members.Count > 0) buckets.Add(new Bucket([.. members], floats));
        return [.. buckets];
    }

    /// <summary>Parameters whose gradients are summed in one call, from one buffer.</summary>
    private sealed class Bucket(int[] parameters, int floats)
    {
        private readonly float[] _buffer = new float[floats];

        public int[] Parameters => parameters;

        /// <summary>Parameters whose gradient is not final yet in this step.</summary>
        public int Pending { get; set; }

        public MpiRequest? Request { get; private set; }

        /// <summary>Copies the gradients, each times its <paramref name="weight"/> (this rank's share of the batch, say), and starts their sum.</summary>
        public void Start(MpiWorld world, IReadOnlyList<Tensor> all, Func<int, float> weight)
        {
            int offset = 0;
            foreach (int p in parameters)
            {
                Span<float> slice = _buffer.AsSpan(offset, all[p].Count);
                // Every rank has rows in the first batch (the batch is at least the job's size), so every gradient exists
                // from then on; a rank without rows in a later, short batch contributes the zeros ZeroGrad left.
                Gradient(all[p]).CopyTo(slice);
                ScaleKernel.Scale(weight(p), slice);
                offset += slice.Length;
            }
            Request = world.StartSum(_buffer);
        }

        /// <summary>Waits for the sum and writes it back into the gradients.</summary>
        public void Finish(IReadOnlyList<Tensor> all)
        {
            Request!.Wait();
            Request = null;
            int offset = 0;
            foreach (int p in parameters)
            {
                _buffer.AsSpan(offset, all[p].Count).CopyTo(Gradient(all[p]));
                offset += all[p].Count;
            }
        }

        private static Span<float> Gradient(Tensor parameter) =>
            (parameter.Grad ?? throw new InvalidOperationException("A parameter has no gradient: the first batch must reach every rank.")).AsSpan();
    }
}
