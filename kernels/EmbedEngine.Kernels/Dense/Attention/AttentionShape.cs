namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// The sizes of one scaled-dot-product attention call: <see cref="Batch"/> sequences of <see cref="Heads"/> heads,
/// <see cref="QueryLength"/> queries against <see cref="KeyLength"/> keys of <see cref="HeadDim"/> floats each. Query
/// i sits at position i + (KeyLength − QueryLength) of its sequence, so a causal query sees keys up to its own
/// position: the last queries of a sequence whose first keys are cached from earlier calls (generation).
/// </summary>
public readonly struct AttentionShape
{
    /// <summary>The largest head dimension the kernels take.</summary>
    public const int MaxHeadDim = 256;

    /// <summary>An attention call; <paramref name="scale"/> defaults to 1/√<paramref name="headDim"/>.</summary>
    public AttentionShape(int batch, int heads, int queryLength, int keyLength, int headDim, bool causal, float scale = float.NaN)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(queryLength);
        ArgumentOutOfRangeException.ThrowIfNegative(keyLength);
        if (headDim <= 0 || headDim > MaxHeadDim)
            throw new ArgumentOutOfRangeException(nameof(headDim), $"The head dimension must be 1 to {MaxHeadDim}; got {headDim}.");
        if (causal && queryLength > keyLength)
            throw new ArgumentException($"A causal call needs at least as many keys as queries; got {queryLength} queries and {keyLength} keys.");
        Batch = batch;
        Heads = heads;
        QueryLength = queryLength;
        KeyLength = keyLength;
        HeadDim = headDim;
        Causal = causal;
        Scale = float.IsNaN(scale) ? 1f / MathF.Sqrt(headDim) : scale;
    }

    /// <summary>Sequences.</summary>
    public int Batch { get; }

    /// <summary>Heads per sequence.</summary>
    public int Heads { get; }

    /// <summary>Queries per sequence and head.</summary>
    public int QueryLength { get; }

    /// <summary>Keys (and values) per sequence and head.</summary>
    public int KeyLength { get; }

    /// <summary>Floats per query, key and value vector of one head.</summary>
    public int HeadDim { get; }

    /// <summary>Whether a query sees only the keys at or before its own position.</summary>
    public bool Causal { get; }

    /// <summary>The factor on q·k before the softmax.</summary>
    public float Scale { get; }

    /// <summary>
    /// How many keys query <paramref name="query"/> of a sequence with <paramref name="keyLength"/> valid keys sees:
    /// keys 0 … count − 1. Zero means the row is fully masked: its output is zero and its log-sum-exp −∞.
    /// </summary>
    public int VisibleKeys(int query, int keyLength)
    {
        int visible = Math.Min(keyLength, KeyLength);
        return Causal ? Math.Min(visible, query + KeyLength - QueryLength + 1) : visible;
    }
}
