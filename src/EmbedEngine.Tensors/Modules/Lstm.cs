using System.Globalization;

namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// Stacked unidirectional LSTM layers over time-major sequences [T, B, I] (<see cref="Ops.Lstm"/>), PyTorch's
/// nn.LSTM initialization (every weight uniform in ±1/√H) and parameter names, except that each layer has one bias,
/// PyTorch's b_ih + b_hh: a PyTorch checkpoint's two add into it, and it starts as the sum of two uniform draws,
/// as nn.LSTM's two biases do. Dropout, when set, applies to every
/// layer's output but the last, while training.
/// </summary>
public sealed class Lstm : Module
{
    private readonly Tensor[] _inputWeights, _recurrentWeights, _biases;
    private readonly Dropout? _dropout;

    /// <summary><paramref name="layers"/> layers from <paramref name="inputs"/> features to <paramref name="hidden"/>.</summary>
    public Lstm(int inputs, int hidden, int layers, Random random, float dropout = 0f, uint dropoutSeed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentNullException.ThrowIfNull(random);
        Hidden = hidden;
        float bound = 1f / MathF.Sqrt(hidden);
        _inputWeights = new Tensor[layers];
        _recurrentWeights = new Tensor[layers];
        _biases = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            string suffix = "_l" + l.ToString(CultureInfo.InvariantCulture);
            _inputWeights[l] = Parameter("weight_ih" + suffix, Initialization.Uniform(bound, random, 4 * hidden, l == 0 ? inputs : hidden));
            _recurrentWeights[l] = Parameter("weight_hh" + suffix, Initialization.Uniform(bound, random, 4 * hidden, hidden));
            Tensor bias = Initialization.Uniform(bound, random, 4 * hidden);
            using (Tensor second = Initialization.Uniform(bound, random, 4 * hidden)) TensorMath.AddInto(bias, second);
            _biases[l] = Parameter("bias" + suffix, bias);
        }
        if (dropout > 0f) _dropout = Child("dropout", new Dropout(dropout, dropoutSeed));
    }

    /// <summary>The hidden size of every layer.</summary>
    public int Hidden { get; }

    /// <summary>Layers.</summary>
    public int Layers => _biases.Length;

    /// <summary>The last layer's hidden states [T, B, H] for <paramref name="input"/> [T, B, I], every layer starting from zero states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, state: null);

    /// <summary>
    /// The last layer's hidden states [T, B, H] for <paramref name="input"/> [T, B, I], every layer starting from its
    /// states in <paramref name="state"/> (zeros when null), which then hold the last step's states.
    /// </summary>
    /// <exception cref="ArgumentException">The state has another number of layers, sequences or units.</exception>
    public Tensor Forward(Tensor input, LstmState? state)
    {
        if (state != null && (state.Layers != Layers || state.Size != Hidden || input.Rank != 3 || state.Batch != input.Shape[1]))
            throw new ArgumentException($"The LSTM state holds {state.Layers} layers of [{state.Batch}, {state.Size}]; this input needs {Layers} of [{(input.Rank == 3 ? input.Shape[1] : 0)}, {Hidden}].");
        Tensor x = input;
        for (int l = 0; l < Layers; l++)
        {
            if (state == null)
                x = Ops.Lstm(x, _inputWeights[l], _recurrentWeights[l], _biases[l]);
            else
            {
                // The op reads the states before it writes c_T over the cell; h_T is its last output row.
                x = Ops.Lstm(x, _inputWeights[l], _recurrentWeights[l], _biases[l], state.Hidden(l), state.Cell(l), finalCell: state.Cell(l));
                x.AsSpan()[^state.Hidden(l).Count..].CopyTo(state.Hidden(l).AsSpan());
            }
            if (_dropout != null && l < Layers - 1) x = _dropout.Forward(x);
        }
        return x;
    }
}
