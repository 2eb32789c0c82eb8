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

    /// <summary>The layers in turn; a Linear layer followed by a ReLU runs as one fused product (<see cref="Linear.ForwardRelu"/>).</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is Linear linear && i + 1 < _layers.Length && _layers[i + 1] is Activation { Kind: ActivationKind.Relu })
            {
                x = linear.ForwardRelu(x);
                i++;
            }
            else
            {
                x = _layers[i].Forward(x);
            }
        }
        return x;
    }
}
