namespace EmbedEngine.Tensors.Modules;

/// <summary>Inverted dropout while training, the identity while evaluating. Each call draws a fresh mask.</summary>
public sealed class Dropout(float probability, uint seed = 1) : Module
{
    [ThreadStatic]
    private static int[]? t_rowPlaces;

    /// <summary>The counter the next mask is drawn from, one step per training call; checkpoints save and restore it.</summary>
    public uint Counter { get; set; } = seed;

    /// <summary>The chance an element is dropped.</summary>
    public float Probability { get; } = probability is >= 0f and < 1f
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), "Dropout probability must be in [0, 1).");

    /// <summary>
    /// Until the scope is disposed, every dropout layer on this thread gives row r of its input (the first dimension)
    /// the mask of row <paramref name="places"/>[r] of a larger batch, on the CPU: a rank of data-parallel training that
    /// holds some of a batch's rows (padded as the whole batch is) drops them as one process holding the batch does.
    /// </summary>
    public static RowPlacesScope AtRows(int[] places) => new(places);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        IsTraining && Probability > 0f ? Ops.Dropout(input, Probability, unchecked(Counter++ * 0x9E3779B9u), t_rowPlaces) : input;

    /// <summary>While alive, dropout layers on this thread draw the masks of the rows' places (<see cref="AtRows"/>).</summary>
    public readonly struct RowPlacesScope : IDisposable
    {
        private readonly int[]? _previous;

        internal RowPlacesScope(int[] places)
        {
            _previous = t_rowPlaces;
            t_rowPlaces = places;
        }

        /// <summary>Ends the scope.</summary>
        public void Dispose() => t_rowPlaces = _previous;
    }
}
