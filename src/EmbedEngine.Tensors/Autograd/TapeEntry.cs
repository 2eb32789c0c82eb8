namespace EmbedEngine.Tensors.Autograd;

/// <summary>
/// One recorded operation: its inputs, its output, what its backward step needs, and the backward step itself
/// as a function pointer, so that recording allocates nothing.
/// </summary>
internal unsafe struct TapeEntry
{
    /// <summary>Adds the input gradients implied by <see cref="Output"/>'s gradient.</summary>
    public delegate*<ref TapeEntry, void> Backward;

    /// <summary>The operation's result.</summary>
    public Tensor Output;

    /// <summary>First input.</summary>
    public Tensor? A;

    /// <summary>Second input.</summary>
    public Tensor? B;

    /// <summary>Third input.</summary>
    public Tensor? C;

    /// <summary>A tensor saved for the backward step (statistics, a mask).</summary>
    public Tensor? Saved;

    /// <summary>A second saved tensor.</summary>
    public Tensor? Saved2;

    /// <summary>Integer inputs (class targets, embedding rows), owned by the caller and unchanged until backward.</summary>
    public int[]? Indices;

    /// <summary>A scalar argument.</summary>
    public float Scalar;

    /// <summary>An integer argument.</summary>
    public int Integer;

    /// <summary>A second integer argument.</summary>
    public int Integer2;

    /// <summary>What an operation with more inputs or saved tensors than the fields above keeps for its backward step.</summary>
    public object? Context;
}
