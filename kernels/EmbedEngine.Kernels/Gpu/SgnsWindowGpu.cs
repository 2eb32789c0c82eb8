using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// Skip-gram negative sampling on the GPU the way BlazingText and HogBatch (Ji et al. 2016) do it:
/// <see cref="BatchedSgnsKernel"/>'s step for a batch of windows. A group takes one window at a time (windows
/// group, group + groups, … of the batch): it stages the window's m context rows C and k output rows O (the centre
/// word, then the negatives the whole window shares) in shared memory, forms S = C·Oᵀ and G = (L − σ(S))·lr there,
/// and adds C's delta G·O and O's delta Gᵀ·C, both from the staged old values, to the rows in device memory with
/// atomic adds. Windows of other groups run at the same time and may read a row between another's staging and its
/// write-back: the Hogwild tolerance of the CPU trainers' threads, without their lost updates.
/// </summary>
public static class SgnsWindowGpu
{
    /// <summary>Threads per group on a GPU: a window's (m + k)·dim updates (about 1,600 at dim 100) in a dozen passes.</summary>
    private const int GpuThreads = 128;

    private static readonly KernelCache<Action<KernelConfig, DeviceMatrix, DeviceMatrix, RowListsView, RowListsView, SamplingStep>> Launcher =
        new(a => a.LoadStreamKernel<DeviceMatrix, DeviceMatrix, RowListsView, RowListsView, SamplingStep>(Kernel));

    /// <summary>
    /// Queues the step of every window: window w's context rows are <paramref name="inputRows"/> list w (rows of
    /// <paramref name="input"/>, syn0), its output rows <paramref name="outputRows"/> list w (rows of
    /// <paramref name="output"/>, syn1neg: the true word first, label 1, then the negatives, label 0). The windows' summed
    /// logistic loss is added to <paramref name="loss"/>[0].
    /// </summary>
    /// <exception cref="ArgumentException">The lists disagree in number, or one window does not fit in shared memory.</exception>
    /// <remarks><paramref name="threadsPerGroup"/> 0 takes the device's default (see <see cref="GroupShape.Threads"/>).</remarks>
    public static void Update(GpuDevice device, DeviceMatrix input, DeviceMatrix output, RowListsView inputRows,
        RowListsView outputRows, int dim, float learningRate, SigmoidMode sigmoid, ArrayView<float> loss, int threadsPerGroup = 0)
    {
        if (inputRows.Count != outputRows.Count)
            throw new ArgumentException($"{inputRows.Count} windows of context rows but {outputRows.Count} of output rows.");
        if (inputRows.Count == 0) return;
        int threads = GroupShape.Threads(device, GpuThreads, threadsPerGroup);
        int m = inputRows.MaxLength, k = outputRows.MaxLength;
        long shared = (long)(m + k) * dim + (long)m * k;
        if (shared * sizeof(float) > device.Accelerator.MaxSharedMemoryPerGroup)
            throw new ArgumentException(
                $"a window of {m} context rows and {k} outputs at dim {dim} needs {shared * sizeof(float):N0} bytes of shared memory; " +
                $"{device.Name} has {device.Accelerator.MaxSharedMemoryPerGroup:N0} per group (use a smaller window, fewer negatives or a smaller dim).");
        var config = new KernelConfig(GroupShape.Groups(device, inputRows.Count), threads,
            SharedMemoryConfig.RequestDynamic<float>((int)shared));
        Launcher.On(device)(config, input, output, inputRows, outputRows,
            new SamplingStep(dim, learningRate, SigmoidGpu.On(device, sigmoid), loss));
    }

    private static void Kernel(DeviceMatrix input, DeviceMatrix output, RowListsView inputRows, RowListsView outputRows, SamplingStep step)
    {
        int dim = step.Dim, maxM = inputRows.MaxLength, maxK = outputRows.MaxLength;
        ArrayView<float> shared = SharedMemory.GetDynamic<float>();
        ArrayView<float> c = shared.SubView(0, maxM * dim);
        ArrayView<float> o = shared.SubView(maxM * dim, maxK * dim);
        ArrayView<float> g = shared.SubView((maxM + maxK) * dim, maxM * maxK);
        float loss = 0f;
        for (int window = Grid.IdxX; window < inputRows.Count; window += Grid.DimX)
        {
            int m = inputRows.Length(window), k = outputRows.Length(window);
            for (int e = Group.IdxX; e < m * dim; e += Group.DimX)
                c[e] = input.Data[input.Index(inputRows.Item(window, e / dim), e % dim)];
            for (int e = Group.IdxX; e < k * dim; e += Group.DimX)
                o[e] = output.Data[output.Index(outputRows.Item(window, e / dim), e % dim)];
            Group.Barrier();
            for (int p = Group.IdxX; p < m * k; p += Group.DimX)
            {
                int i = p / k, j = p % k;
                float s = 0f;
                for (int d = 0; d < dim; d++) s += c[i * dim + d] * o[j * dim + d];
                float label = j == 0 ? 1f : 0f;
                loss += step.Sigmoid.Loss(s, label);
                g[p] = step.Sigmoid.Residual(s, label) * step.LearningRate;
            }
            Group.Barrier();
            for (int e = Group.IdxX; e < m * dim; e += Group.DimX)
            {
                int i = e / dim, d = e % dim;
                float delta = 0f;
                for (int j = 0; j < k; j++) delta += g[i * k + j] * o[j * dim + d];
                Atomic.Add(ref input.Data[input.Index(inputRows.Item(window, i), d)], delta);
            }
            for (int e = Group.IdxX; e < k * dim; e += Group.DimX)
            {
                int j = e / dim, d = e % dim;
                float delta = 0f;
                for (int i = 0; i < m; i++) delta += g[i * k + j] * c[i * dim + d];
                Atomic.Add(ref output.Data[output.Index(outputRows.Item(window, j), d)], delta);
            }
            // The next window overwrites the staged rows.
            Group.Barrier();
        }
        if (loss != 0f) Atomic.Add(ref step.Loss[0], loss);
    }
}
