using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>
/// Updates parameters from their gradients. State buffers are made once, beside each parameter, so a step
/// allocates nothing; parameters without a gradient yet are skipped.
/// </summary>
public abstract unsafe class Optimizer : IDisposable
{
    private readonly FloatBuffer[] _gradients;
    private readonly float[] _squares;
    private Tensor? _deviceSquares;

    /// <summary>An optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (Tensor parameter in parameters)
            if (!parameter.IsContiguous) throw new ArgumentException("Parameters must be contiguous tensors.", nameof(parameters));
        Parameters = parameters;
        _gradients = new FloatBuffer[parameters.Count];
        _squares = new float[parameters.Count];
    }

    /// <summary>The parameters updated.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        Steps++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            Tensor parameter = Parameters[i];
            if (parameter.Grad != null) Update(i, parameter, parameter.Grad);
        }
    }

    /// <summary>Sets every gradient to zero, ready for the next backward pass.</summary>
    public void ZeroGrad()
    {
        // Indexed loops: enumerating the interface would allocate an enumerator every step.
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].Grad?.Clear();
    }

    /// <summary>
    /// Scales all gradients together so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm
    /// before. Gradients on a GPU are clipped there, reading back one sum of squares per parameter, once.
    /// </summary>
    public float ClipGradientNorm(float maxNorm)
    {
        if (Parameters.Count > 0 && Parameters[0].Device.Gpu is GpuDevice gpu) return ClipOnDevice(gpu, maxNorm);
        int count = 0;
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Grad is { } grad) _gradients[count++] = new FloatBuffer(grad.Data, grad.Count);
        return GradientClipKernel.ClipByGlobalNorm(_gradients.AsSpan(0, count), maxNorm);
    }

    /// <summary>
    /// <see cref="GradientClipKernel"/>'s rule on <paramref name="gpu"/>: each gradient's sum of squares in its own
    /// slot, the slots added on the host in double as the CPU adds its buffers, then the common scale on the device.
    /// </summary>
    private float ClipOnDevice(GpuDevice gpu, float maxNorm)
    {
        if (!(maxNorm > 0f)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The norm limit must be positive.");
        Device device = Parameters[0].Device;
        _deviceSquares ??= Tensor.Owned(new Shape(Parameters.Count), zero: true, device);
        ArrayView<float> slots = _deviceSquares.DeviceView("ClipGradientNorm");
        slots.MemSetToZero();
        for (int i = 0; i < Parameters.Count; i++)
            if (Parameters[i].Grad is { } grad)
            {
                Devices.Common("ClipGradientNorm", Parameters[0], grad);
                ReductionGpu.SumOfSquares(gpu, grad.DeviceView("ClipGradientNorm"), slots, i);
            }
        slots.CopyToCPU(_squares);
        double squares = 0;
        foreach (float square in _squares) squares += square;
        float norm = (float)Math.Sqrt(squares), scale = maxNorm / (norm + GradientClipKernel.NormGuard);
        if (scale < 1f)
            for (int i = 0; i < Parameters.Count; i++)
                if (Parameters[i].Grad is { } grad) ReductionGpu.Scale(gpu, scale, grad.DeviceView("ClipGradientNorm"));
        return norm;
    }

    /// <summary>
    /// The state tensors by name (moments, velocities, sums), for checkpoints: a new optimizer over the same parameters
    /// given these and <see cref="Steps"/> back through <see cref="Restore"/> continues exactly where this one stood.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> State() => [.. NamedState()];

    /// <summary>Sets <see cref="Steps"/> and copies every state tensor from <paramref name="saved"/> (by the names <see cref="State"/> gives).</summary>
    /// <exception cref="ArgumentException">A saved tensor has another shape than the state it restores.</exception>
    public void Restore(int steps, Func<string, Tensor> saved)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        foreach (var (name, state) in NamedState())
        {
            Tensor source = saved(name);
            if (source.Shape != state.Shape) throw new ArgumentException($"The saved '{name}' has shape {source.Shape}; the optimizer's has {state.Shape}.");
            state.CopyFrom(source.Contiguous().AsSpan());
        }
        Steps = steps;
    }

    /// <summary>Frees the state buffers.</summary>
    public void Dispose()
    {
        DisposeState();
        _deviceSquares?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Updates parameter <paramref name="index"/> in place, on the device it and its gradient live on.</summary>
    protected abstract void Update(int index, Tensor weights, Tensor gradient);

    /// <summary>Frees whatever state the optimizer keeps.</summary>
    protected abstract void DisposeState();

    /// <summary>The state tensors, each under a name unique within the optimizer.</summary>
    protected abstract IEnumerable<KeyValuePair<string, Tensor>> NamedState();

    /// <summary>One state tensor per parameter, named <paramref name="prefix"/>.index.</summary>
    protected static IEnumerable<KeyValuePair<string, Tensor>> Named(string prefix, Tensor[] state) =>
        state.Select((tensor, i) => new KeyValuePair<string, Tensor>($"{prefix}.{i}", tensor));

    /// <summary>One zeroed state tensor per parameter, shaped like it, on its device.</summary>
    protected static Tensor[] ZerosLike(IReadOnlyList<Tensor> parameters) =>
        parameters.Select(p => Tensor.Owned(p.Shape, zero: true, p.Device)).ToArray();

    /// <summary>Frees state tensors.</summary>
    protected static void DisposeAll(params Tensor[][] state)
    {
        foreach (Tensor[] tensors in state)
            foreach (Tensor tensor in tensors) tensor.Dispose();
    }
}
