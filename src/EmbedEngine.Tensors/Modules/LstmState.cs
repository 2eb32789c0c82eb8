namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// The hidden state [B, R] and cell state [B, H] of every layer of an <see cref="Lstm"/> (R is the projection's width
/// for an LSTMP, H otherwise), carried from one call to the next:
/// each call starts from it and leaves its last step's states in it. The states enter a call as constants, so
/// gradients stop at the call's first step (truncated backpropagation through time).
/// </summary>
public sealed class LstmState : IDisposable
{
    private readonly Tensor[] _hidden, _cell;

    /// <summary>
    /// Zero states for <paramref name="layers"/> layers of <paramref name="hidden"/> units over <paramref name="batch"/>
    /// sequences, their hidden states projected to <paramref name="projection"/> (0: none).
    /// </summary>
    public LstmState(int layers, int batch, int hidden, int projection = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegative(projection);
        Batch = batch;
        Size = hidden;
        Projection = projection;
        _hidden = new Tensor[layers];
        _cell = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _hidden[l] = Tensor.Zeros(batch, projection > 0 ? projection : hidden);
            _cell[l] = Tensor.Zeros(batch, hidden);
        }
    }

    /// <summary>Layers.</summary>
    public int Layers => _hidden.Length;

    /// <summary>Sequences side by side.</summary>
    public int Batch { get; }

    /// <summary>Units (cell width) per layer.</summary>
    public int Size { get; }

    /// <summary>The projected width of the hidden states, or 0 without a projection.</summary>
    public int Projection { get; }

    /// <summary>Layer <paramref name="layer"/>'s hidden state [B, R] (r = W_hr·h with a projection).</summary>
    public Tensor Hidden(int layer) => _hidden[layer];

    /// <summary>Layer <paramref name="layer"/>'s cell state c [B, H].</summary>
    public Tensor Cell(int layer) => _cell[layer];

    /// <summary>Back to zeros.</summary>
    public void Reset()
    {
        for (int l = 0; l < Layers; l++)
        {
            _hidden[l].AsSpan().Clear();
            _cell[l].AsSpan().Clear();
        }
    }

    /// <summary>Frees the states.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _hidden) t.Dispose();
        foreach (Tensor t in _cell) t.Dispose();
    }
}
