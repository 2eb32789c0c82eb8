using System.Runtime.CompilerServices;
using System.Text;

namespace EmbedEngine.Tensors;

/// <summary>
/// The sizes of a tensor's dimensions, stored inline (up to <see cref="MaxRank"/>) so that making a view or an
/// intermediate result allocates nothing on the managed heap.
/// </summary>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>Most dimensions a tensor has: batch, heads, sequence and features, with room to spare.</summary>
    public const int MaxRank = 6;

    private readonly Dims _dims;
    private readonly int _count;

    /// <summary>A shape from its sizes; every size must be non-negative.</summary>
    public Shape(params ReadOnlySpan<int> sizes)
    {
        if (sizes.Length > MaxRank)
            throw new ArgumentException($"A tensor has at most {MaxRank} dimensions; got {sizes.Length}.", nameof(sizes));
        long count = 1;
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] < 0) throw new ArgumentException($"Dimension {i} has negative size {sizes[i]}.", nameof(sizes));
            count *= sizes[i];
            if (count > Array.MaxLength)
                throw new ArgumentException($"A tensor of shape {Format(sizes)} has more than {Array.MaxLength} elements.", nameof(sizes));
            _dims[i] = sizes[i];
        }
        Rank = sizes.Length;
        _count = (int)count;
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank { get; }

    /// <summary>Number of elements (the product of the sizes; 1 for a scalar).</summary>
    public int Count => Rank == 0 ? 1 : _count;

    /// <summary>Size of dimension <paramref name="dimension"/>; negative counts from the end.</summary>
    public int this[int dimension] => _dims[Normalize(dimension)];

    /// <summary>Copies the sizes into <paramref name="destination"/>, which must hold <see cref="Rank"/> of them.</summary>
    public void CopyTo(Span<int> destination)
    {
        for (int i = 0; i < Rank; i++) destination[i] = _dims[i];
    }

    /// <summary>The sizes in a new array.</summary>
    public int[] ToArray()
    {
        var sizes = new int[Rank];
        CopyTo(sizes);
        return sizes;
    }

    /// <summary>Turns a dimension that may count from the end (-1 is the last) into an index.</summary>
    public int Normalize(int dimension)
    {
        int d = dimension < 0 ? dimension + Rank : dimension;
        if ((uint)d >= (uint)Rank)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"Dimension {dimension} is outside a rank-{Rank} shape {this}.");
        return d;
    }

    /// <summary>Row-major strides of a contiguous tensor of this shape, written into <paramref name="strides"/>.</summary>
    internal void ContiguousStrides(Span<int> strides)
    {
        int stride = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= _dims[i];
        }
    }

    /// <inheritdoc/>
    public bool Equals(Shape other)
    {
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != other._dims[i]) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (int i = 0; i < Rank; i++) hash.Add(_dims[i]);
        return hash.ToHashCode();
    }

    /// <summary>Same sizes.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Different sizes.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>"[2, 3]".</summary>
    public override string ToString() => Format(ToArray());

    private static string Format(ReadOnlySpan<int> sizes)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < sizes.Length; i++) text.Append(i == 0 ? "" : ", ").Append(sizes[i]);
        return text.Append(']').ToString();
    }

    /// <summary>Inline storage of the sizes.</summary>
    [InlineArray(MaxRank)]
    internal struct Dims
    {
        private int _element;
    }
}
