namespace EmbedEngine.Tensors.Modules;

/// <summary>Modules applied one after another; parameters are named by position ("0.weight").</summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>The layers, in order.</summary>
    public Sequential(params Module[] layers)
    {
        _layers = layers;
        for (int i = 0; i < layers.Length; i++) Child(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <summary>The layers.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Module layer in _layers) x = layer.Forward(x);
        return x;
    }
}
