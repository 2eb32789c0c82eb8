using System.Globalization;

namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// Stacked LSTM layers over time-major sequences [T, B, I] (<see cref="Ops.Lstm"/>), one-way or bidirectional, with
/// PyTorch's nn.LSTM parameters, names ("weight_ih_l0", "bias_hh_l0_reverse"…) and initialization (every one
/// uniform in ±1/√H). Like nn.LSTM it keeps two biases, b_ih and b_hh, though the op needs only their sum: each
/// receives the same gradient, so an optimizer moves their sum as it moves PyTorch's, and PyTorch checkpoints load
/// as they are. A
/// bidirectional layer runs a second LSTM over the reversed sequence and outputs both directions' states side by
/// side, [T, B, 2H], which the next layer reads. Dropout, when set, applies to every layer's output but the last,
/// while training.
/// </summary>
public sealed class Lstm : Module
{
    private readonly Tensor[] _inputWeights, _recurrentWeights, _inputBiases, _recurrentBiases;
    private readonly Tensor?[] _projections;
    private readonly Dropout? _dropout;

    /// <summary><paramref name="layers"/> layers from <paramref name="inputs"/> features to <paramref name="hidden"/> per direction, projected to <paramref name="projection"/> (0: none).</summary>
    public Lstm(int inputs, int hidden, int layers, Random random, float dropout = 0f, uint dropoutSeed = 1, bool bidirectional = false, int projection = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(projection);
        Hidden = hidden;
        Projection = projection;
        Directions = bidirectional ? 2 : 1;
        int width = projection > 0 ? projection : hidden;
        float bound = 1f / MathF.Sqrt(hidden);
        _inputWeights = new Tensor[layers * Directions];
        _recurrentWeights = new Tensor[layers * Directions];
        _inputBiases = new Tensor[layers * Directions];
        _recurrentBiases = new Tensor[layers * Directions];
        _projections = new Tensor?[layers * Directions];
        for (int l = 0; l < layers; l++)
            for (int direction = 0; direction < Directions; direction++)
            {
                int i = l * Directions + direction;
                string suffix = "_l" + l.ToString(CultureInfo.InvariantCulture) + (direction == 1 ? "_reverse" : "");
                _inputWeights[i] = Parameter("weight_ih" + suffix, Initialization.Uniform(bound, random, 4 * hidden, l == 0 ? inputs : Directions * width));
                _recurrentWeights[i] = Parameter("weight_hh" + suffix, Initialization.Uniform(bound, random, 4 * hidden, width));
                _inputBiases[i] = Parameter("bias_ih" + suffix, Initialization.Uniform(bound, random, 4 * hidden));
                _recurrentBiases[i] = Parameter("bias_hh" + suffix, Initialization.Uniform(bound, random, 4 * hidden));
                if (projection > 0) _projections[i] = Parameter("weight_hr" + suffix, Initialization.Uniform(bound, random, projection, hidden));
            }
        if (dropout > 0f) _dropout = Child("dropout", new Dropout(dropout, dropoutSeed));
    }

    /// <summary>The hidden size of every layer, per direction.</summary>
    public int Hidden { get; }

    /// <summary>The width each layer's states are projected to, or 0 without a projection.</summary>
    public int Projection { get; }

    /// <summary>The width of each direction's output: the projection, or the hidden size.</summary>
    public int OutputWidth => Projection > 0 ? Projection : Hidden;

    /// <summary>1, or 2 for a bidirectional LSTM.</summary>
    public int Directions { get; }

    /// <summary>Layers.</summary>
    public int Layers => _inputBiases.Length / Directions;

    /// <summary>The last layer's outputs [T, B, Directions·<see cref="OutputWidth"/>] for <paramref name="input"/> [T, B, I], every layer starting from zero states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, state: null);

    /// <summary>
    /// The last layer's outputs [T, B, R] for <paramref name="input"/> [T, B, I], every layer starting from its
    /// states in <paramref name="state"/> (zeros when null), which then hold the last step's states.
    /// </summary>
    /// <exception cref="ArgumentException">The state has another number of layers, sequences or units, or the LSTM is bidirectional.</exception>
    public Tensor Forward(Tensor input, LstmState? state)
    {
        if (state != null && Directions != 1) throw new ArgumentException("A bidirectional LSTM reads whole sequences: it carries no state between calls.");
        if (state != null && (state.Layers != Layers || state.Size != Hidden || state.Projection != Projection || input.Rank != 3 || state.Batch != input.Shape[1]))
            throw new ArgumentException($"The LSTM state holds {state.Layers} layers of [{state.Batch}, {state.Size}] projected to {state.Projection}; this input needs {Layers} of [{(input.Rank == 3 ? input.Shape[1] : 0)}, {Hidden}] projected to {Projection}.");
        Tensor x = input;
        for (int l = 0; l < Layers; l++)
        {
            int i = l * Directions;
            if (state == null)
            {
                Tensor forward = Ops.Lstm(x, _inputWeights[i], _recurrentWeights[i], Bias(i), projectionWeights: _projections[i]);
                x = Directions == 1 ? forward
                    : Ops.ConcatLast(forward, Ops.ReverseSteps(Ops.Lstm(Ops.ReverseSteps(x), _inputWeights[i + 1], _recurrentWeights[i + 1], Bias(i + 1),
                        projectionWeights: _projections[i + 1])));
            }
            else
            {
                // The op reads the states before it writes c_T over the cell; h_T is its last output row.
                x = Ops.Lstm(x, _inputWeights[i], _recurrentWeights[i], Bias(i), state.Hidden(l), state.Cell(l), finalCell: state.Cell(l), projectionWeights: _projections[i]);
                x.AsSpan()[^state.Hidden(l).Count..].CopyTo(state.Hidden(l).AsSpan());
            }
            if (_dropout != null && l < Layers - 1) x = _dropout.Forward(x);
        }
        return x;
    }

    /// <summary>b_ih + b_hh of layer-direction <paramref name="i"/>.</summary>
    private Tensor Bias(int i) => Ops.Add(_inputBiases[i], _recurrentBiases[i]);
}
