namespace EmbedEngine.Tensors.Modules;

/// <summary>
/// The hidden and cell state [B, H] of every layer of an <see cref="Lstm"/>, carried from one call to the next:
/// each call starts from it and leaves its last step's states in it. The states enter a call as constants, so
/// gradients stop at the call's first step (truncated backpropagation through time).
/// </summary>
public sealed class LstmState : IDisposable
{
    private readonly Tensor[] _hidden, _cell;

    /// <summary>Zero states for <paramref name="layers"/> layers of <paramref name="hidden"/> units over <paramref name="batch"/> sequences.</summary>
    public LstmState(int layers, int batch, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        Batch = batch;
        Size = hidden;
        _hidden = new Tensor[layers];
        _cell = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _hidden[l] = Tensor.Zeros(batch, hidden);
            _cell[l] = Tensor.Zeros(batch, hidden);
        }
    }

    /// <summary>Layers.</summary>
    public int Layers => _hidden.Length;

    /// <summary>Sequences side by side.</summary>
    public int Batch { get; }

    /// <summary>Units per layer.</summary>
    public int Size { get; }

    /// <summary>Layer <paramref name="layer"/>'s hidden state h [B, H].</summary>
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
