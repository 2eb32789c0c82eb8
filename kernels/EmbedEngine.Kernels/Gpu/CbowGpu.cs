using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// Negative sampling from the mean of a bag of input rows, on the GPU: word2vec's CBOW (the bag is the context
/// words), fastText's CBOW (the subword rows of every context word) and fastText's skip-gram (the centre word's
/// subword rows, which predict each context word in turn). A group takes one window at a time and does what the CPU
/// trainers do for it, in the same order: h = mean of the bag (<see cref="CbowKernel.Average"/>); for each
/// prediction, <see cref="LogisticUpdateKernel"/>'s step over its targets (the true word, label 1, then its negatives,
/// label 0; one target after the other, so a row listed twice sees its first update), then rowsGrad += grad and
/// h += shift·grad (fastText re-averages its subword rows after each context word: shift is 1, or more where hashing
/// repeats a row); finally rowsGrad is added to every bag row (<see cref="CbowKernel.Scatter"/>). Each thread owns a
/// stripe of columns, so only the dot products cross threads. Output and bag rows are updated with atomic adds:
/// other groups' windows run at the same time (Hogwild), but no update is lost.
/// </summary>
public static class CbowGpu
{
    /// <summary>Threads per group on a GPU: one warp covers dim 100 in four passes, and each dot costs a five-step reduction.</summary>
    private const int GpuThreads = 32;

    private static readonly KernelCache<Action<KernelConfig, DeviceMatrix, DeviceMatrix, Windows, SamplingStep>> Launcher =
        new(a => a.LoadStreamKernel<DeviceMatrix, DeviceMatrix, Windows, SamplingStep>(Kernel));

    /// <summary>
    /// Queues every window: window w averages the rows of <paramref name="input"/> in <paramref name="bags"/> list w and
    /// makes the predictions listed in <paramref name="windowPredictions"/> list w; prediction p's targets (rows of
    /// <paramref name="output"/>) are <paramref name="targets"/> list p; <paramref name="shifts"/>[w] scales each
    /// prediction's gradient into the window's running mean. The summed logistic loss is added to <paramref name="loss"/>[0].
    /// </summary>
    /// <exception cref="ArgumentException">The lists disagree in number, or a window has an empty bag.</exception>
    /// <remarks><paramref name="threadsPerGroup"/> 0 takes the device's default (see <see cref="GroupShape.Threads"/>).</remarks>
    public static void Update(GpuDevice device, DeviceMatrix input, DeviceMatrix output, RowListsView bags,
        RowListsView windowPredictions, RowListsView targets, ArrayView<float> shifts, int dim, float learningRate,
        SigmoidMode sigmoid, ArrayView<float> loss, int threadsPerGroup = 0)
    {
        if (bags.Count != windowPredictions.Count || shifts.Length < bags.Count)
            throw new ArgumentException($"{bags.Count} bags, but {windowPredictions.Count} lists of predictions and {shifts.Length} shifts.");
        if (bags.Count == 0) return;
        int threads = GroupShape.Threads(device, GpuThreads, threadsPerGroup);
        var config = new KernelConfig(GroupShape.Groups(device, bags.Count), threads,
            SharedMemoryConfig.RequestDynamic<float>(3 * dim + threads));
        Launcher.On(device)(config, input, output, new Windows(bags, windowPredictions, targets, shifts),
            new SamplingStep(dim, learningRate, SigmoidGpu.On(device, sigmoid), loss));
    }

    /// <summary>The work of one launch.</summary>
    internal readonly struct Windows(RowListsView bags, RowListsView predictions, RowListsView targets, ArrayView<float> shifts)
    {
        public readonly RowListsView Bags = bags;
        public readonly RowListsView Predictions = predictions;
        public readonly RowListsView Targets = targets;
        public readonly ArrayView<float> Shifts = shifts;
    }

    private static void Kernel(DeviceMatrix input, DeviceMatrix output, Windows windows, SamplingStep step)
    {
        int dim = step.Dim;
        ArrayView<float> shared = SharedMemory.GetDynamic<float>();
        ArrayView<float> hidden = shared.SubView(0, dim);
        ArrayView<float> grad = shared.SubView(dim, dim);
        ArrayView<float> rowsGrad = shared.SubView(2 * dim, dim);
        ArrayView<float> scratch = shared.SubView(3 * dim, Group.DimX);
        float loss = 0f;
        for (int window = Grid.IdxX; window < windows.Bags.Count; window += Grid.DimX)
        {
            int bagSize = windows.Bags.Length(window);
            float inverse = 1f / bagSize;
            for (int d = Group.IdxX; d < dim; d += Group.DimX)
            {
                float sum = 0f;
                for (int r = 0; r < bagSize; r++) sum += input.Data[input.Index(windows.Bags.Item(window, r), d)];
                hidden[d] = sum * inverse;
                rowsGrad[d] = 0f;
            }
            float shift = windows.Shifts[window];
            for (int p = 0; p < windows.Predictions.Length(window); p++)
            {
                int prediction = windows.Predictions.Item(window, p);
                for (int d = Group.IdxX; d < dim; d += Group.DimX) grad[d] = 0f;
                for (int t = 0; t < windows.Targets.Length(prediction); t++)
                {
                    int row = windows.Targets.Item(prediction, t);
                    float partial = 0f;
                    for (int d = Group.IdxX; d < dim; d += Group.DimX) partial += hidden[d] * output.Data[output.Index(row, d)];
                    float f = GroupShape.Sum(partial, scratch);
                    float label = t == 0 ? 1f : 0f;
                    if (Group.IdxX == 0) loss += step.Sigmoid.Loss(f, label);
                    float g = step.Sigmoid.Residual(f, label) * step.LearningRate;
                    for (int d = Group.IdxX; d < dim; d += Group.DimX)
                    {
                        long at = output.Index(row, d);
                        grad[d] += g * output.Data[at];
                        Atomic.Add(ref output.Data[at], g * hidden[d]);
                    }
                }
                for (int d = Group.IdxX; d < dim; d += Group.DimX)
                {
                    rowsGrad[d] += grad[d];
                    hidden[d] += shift * grad[d];
                }
            }
            for (int d = Group.IdxX; d < dim; d += Group.DimX)
            {
                for (int r = 0; r < bagSize; r++)
                    Atomic.Add(ref input.Data[input.Index(windows.Bags.Item(window, r), d)], rowsGrad[d]);
            }
        }
        if (loss != 0f) Atomic.Add(ref step.Loss[0], loss);
    }
}
