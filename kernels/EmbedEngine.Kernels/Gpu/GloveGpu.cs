using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>
/// <see cref="GloveUpdateKernel"/>'s AdaGrad step over a batch of shuffled co-occurrence entries on the GPU: a group
/// (one warp on a GPU) takes one entry at a time, sums the dot product of its word and context rows across its
/// threads; the first thread steps the two biases and shares the residual, and each thread steps its own columns. Entries of other groups run
/// at the same time and write their rows without locks, as glove.c's threads do (Hogwild); within one entry the
/// order of operations is the CPU kernel's.
/// </summary>
public static class GloveGpu
{
    /// <summary>Threads per group on a GPU: one warp, which covers GloVe's usual 50–300 columns in 2–10 passes.</summary>
    private const int GpuThreads = 32;

    private static readonly KernelCache<Action<KernelConfig, Parameters, Entries, Step>> Launcher =
        new(a => a.LoadStreamKernel<Parameters, Entries, Step>(Kernel));

    /// <summary>
    /// Queues the step of every entry e: (<paramref name="rows"/>[e], <paramref name="columns"/>[e]) with count
    /// <paramref name="counts"/>[e]. The summed cost ½·f(x)·diff² is added to <paramref name="cost"/>[0]; a NaN or
    /// infinite sum says training diverged.
    /// </summary>
    /// <exception cref="ArgumentException">The entry arrays differ in length.</exception>
    /// <remarks><paramref name="threadsPerGroup"/> 0 takes the device's default (see <see cref="GroupShape.Threads"/>).</remarks>
    public static void Update(GpuDevice device, GloveParameters parameters, ArrayView<int> rows, ArrayView<int> columns,
        ArrayView<float> counts, GloveSettings settings, ArrayView<float> cost, int threadsPerGroup = 0)
    {
        if (rows.Length != columns.Length || rows.Length != counts.Length)
            throw new ArgumentException($"{rows.Length} rows, {columns.Length} columns and {counts.Length} counts: one of each per entry.");
        if (rows.Length == 0) return;
        int threads = GroupShape.Threads(device, GpuThreads, threadsPerGroup);
        var config = new KernelConfig(GroupShape.Groups(device, (int)rows.Length), threads, SharedMemoryConfig.RequestDynamic<float>(threads + 1));
        Launcher.On(device)(config, new Parameters(parameters), new Entries(rows, columns, counts), new Step(settings, cost));
    }

    /// <summary>The parameters as the kernel takes them (a kernel parameter holds no reference types).</summary>
    internal readonly struct Parameters(GloveParameters p)
    {
        public readonly DeviceMatrix Word = p.Word, Context = p.Context, GradSqWord = p.GradSqWord, GradSqContext = p.GradSqContext;
        public readonly ArrayView<float> WordBias = p.WordBias, ContextBias = p.ContextBias;
        public readonly ArrayView<float> GradSqWordBias = p.GradSqWordBias, GradSqContextBias = p.GradSqContextBias;
    }

    internal readonly struct Entries(ArrayView<int> rows, ArrayView<int> columns, ArrayView<float> counts)
    {
        public readonly ArrayView<int> Rows = rows, Columns = columns;
        public readonly ArrayView<float> Counts = counts;
    }

    internal readonly struct Step(GloveSettings settings, ArrayView<float> cost)
    {
        public readonly int Dim = settings.Dim;
        public readonly float XMax = settings.XMax, Alpha = settings.Alpha, Eta = settings.Eta, GradClip = settings.GradClip;
        public readonly ArrayView<float> Cost = cost;
    }

    private static void Kernel(Parameters p, Entries entries, Step step)
    {
        ArrayView<float> scratch = SharedMemory.GetDynamic<float>();
        int dim = step.Dim;
        float costSum = 0f;
        for (int e = Grid.IdxX; e < entries.Rows.Length; e += Grid.DimX)
        {
            int i = entries.Rows[e], j = entries.Columns[e];
            float partial = 0f;
            for (int d = Group.IdxX; d < dim; d += Group.DimX)
                partial += p.Word.Data[p.Word.Index(i, d)] * p.Context.Data[p.Context.Index(j, d)];
            float dot = GroupShape.Sum(partial, scratch);
            // The first thread alone reads and steps the biases, and hands the residual to the others, so every
            // thread steps with the same one even when another entry of this group shares a bias.
            if (Group.IdxX == 0)
            {
                float x = entries.Counts[e];
                float diff = dot + p.WordBias[i] + p.ContextBias[j] - MathF.Log(x);
                float residual = x > step.XMax ? diff : MathF.Pow(x / step.XMax, step.Alpha) * diff;
                costSum += 0.5f * residual * diff;
                p.WordBias[i] -= residual / MathF.Sqrt(p.GradSqWordBias[i]);
                p.ContextBias[j] -= residual / MathF.Sqrt(p.GradSqContextBias[j]);
                p.GradSqWordBias[i] += residual * residual;
                p.GradSqContextBias[j] += residual * residual;
                scratch[Group.DimX] = residual;
            }
            Group.Barrier();
            float fdiff = scratch[Group.DimX];
            for (int d = Group.IdxX; d < dim; d += Group.DimX)
            {
                long w = p.Word.Index(i, d), c = p.Context.Index(j, d);
                long gw = p.GradSqWord.Index(i, d), gc = p.GradSqContext.Index(j, d);
                float t1 = Clip(fdiff * p.Context.Data[c], step.GradClip) * step.Eta;
                float t2 = Clip(fdiff * p.Word.Data[w], step.GradClip) * step.Eta;
                p.Word.Data[w] -= t1 / MathF.Sqrt(p.GradSqWord.Data[gw]);
                p.Context.Data[c] -= t2 / MathF.Sqrt(p.GradSqContext.Data[gc]);
                p.GradSqWord.Data[gw] += t1 * t1;
                p.GradSqContext.Data[gc] += t2 * t2;
            }
        }
        if (Group.IdxX == 0) Atomic.Add(ref step.Cost[0], costSum);
    }

    /// <summary>glove.c's clip of one gradient component to [−bound, bound].</summary>
    private static float Clip(float gradient, float bound) => gradient > bound ? bound : gradient < -bound ? -bound : gradient;
}

/// <summary>GloVe's trainable state in device memory: the two matrices, their biases and AdaGrad's four sums.</summary>
/// <param name="Word">W, one row per word.</param>
/// <param name="Context">W̃, one row per word.</param>
/// <param name="GradSqWord">AdaGrad's squared-gradient sums of W.</param>
/// <param name="GradSqContext">Those of W̃.</param>
/// <param name="WordBias">b, one per word.</param>
/// <param name="ContextBias">b̃, one per word.</param>
/// <param name="GradSqWordBias">Squared-gradient sums of b.</param>
/// <param name="GradSqContextBias">Those of b̃.</param>
public readonly record struct GloveParameters(DeviceMatrix Word, DeviceMatrix Context, DeviceMatrix GradSqWord,
    DeviceMatrix GradSqContext, ArrayView<float> WordBias, ArrayView<float> ContextBias, ArrayView<float> GradSqWordBias,
    ArrayView<float> GradSqContextBias);

/// <summary>The hyper-parameters of GloVe's step (see <see cref="GloveUpdateKernel.Update"/>).</summary>
/// <param name="Dim">Floats per row.</param>
/// <param name="XMax">Cut-off of the weighting function.</param>
/// <param name="Alpha">Its exponent.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="GradClip">Bound on each gradient component of the rows.</param>
public readonly record struct GloveSettings(int Dim, float XMax, float Alpha, float Eta, float GradClip);
