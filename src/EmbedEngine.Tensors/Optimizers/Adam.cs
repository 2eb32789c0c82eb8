using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Tensors.Optimizers;

/// <summary>Adam, or AdamW when the settings decouple the weight decay (<see cref="AdamSettings.AdamW"/>).</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;

    /// <summary>The weight decay of each parameter when it was built from groups; null: the settings' decay for all.</summary>
    private readonly float[]? _weightDecay;

    /// <summary>Adam over <paramref name="parameters"/>, all with the settings' weight decay.</summary>
    public Adam(IReadOnlyList<Tensor> parameters, AdamSettings settings) : base(parameters)
    {
        Settings = settings;
        _first = ZerosLike(parameters);
        _second = ZerosLike(parameters);
    }

    /// <summary>Adam over the parameters of <paramref name="groups"/>, each with its group's weight decay.</summary>
    public Adam(IReadOnlyList<ParameterGroup> groups, AdamSettings settings) : this(Flatten(groups), settings) =>
        _weightDecay = groups.SelectMany(g => g.Parameters.Select(_ => g.WeightDecay)).ToArray();

    /// <summary>The hyperparameters; the learning rate may change between steps (schedules).</summary>
    public AdamSettings Settings { get; set; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor weights, Tensor gradient)
    {
        AdamSettings settings = _weightDecay == null ? Settings : Settings with { WeightDecay = _weightDecay[index] };
        if (weights.Device.Gpu is GpuDevice gpu)
            AdamGpu.Update(gpu, weights.DeviceView("Adam"), gradient.DeviceView("Adam"), _first[index].DeviceView("Adam"), _second[index].DeviceView("Adam"),
                settings, Steps);
        else AdamKernel.Update(weights.AsSpan(), gradient.AsSpan(), _first[index].AsSpan(), _second[index].AsSpan(), settings, Steps);
    }

    /// <inheritdoc/>
    protected override void DisposeState() => DisposeAll(_first, _second);

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor>> NamedState() => Named("adam.first_moment", _first).Concat(Named("adam.second_moment", _second));

    private static Tensor[] Flatten(IReadOnlyList<ParameterGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Tensor[] all = groups.SelectMany(g => g.Parameters).ToArray();
        if (all.Distinct().Count() != all.Length) throw new ArgumentException("A parameter appears in more than one group.", nameof(groups));
        return all;
    }
}
