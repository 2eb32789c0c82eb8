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

    /// <summary>This rank's rows of a global batch of <paramref name="rows"/>: where they start and how many (possibly none).</summary>
    public (int First, int Count) Share(int rows)
    {
        int first = (int)((long)rows * _world.Rank / _world.Size), end = (int)((long)rows * (_world.Rank + 1) / _world.Size);
        return (first, end - first);
    }

    /// <summary>
    /// Turns each parameter's gradient of this rank's mean loss over <paramref name="count"/> rows into the whole batch's
    /// (<paramref name="rows"/> rows) on every rank, and returns the batch's mean loss.
    /// </summary>
    public double Combine(IReadOnlyList<Tensor> parameters, double loss, int count, int rows)
    {
        float share = (float)count / rows;
        foreach (Tensor parameter in parameters)
        {
            // Every rank has rows in the first batch (the batch is at least the job's size), so every gradient exists
            // from then on; a rank without rows in a later, short batch contributes the zeros ZeroGrad left.
            Span<float> gradient = (parameter.Grad ?? throw new InvalidOperationException("A parameter has no gradient: the first batch must reach every rank.")).AsSpan();
            ScaleKernel.Scale(share, gradient);
            _world.SumInPlace(gradient);
        }
        double[] total = [loss * share];
        _world.SumInPlace(total);
        return total[0];
    }
}
