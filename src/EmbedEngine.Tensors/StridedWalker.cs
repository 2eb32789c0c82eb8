namespace EmbedEngine.Tensors;

/// <summary>
/// Visits a strided tensor's elements in row-major order, giving each one's offset from the first element; or, over
/// its leading dimensions only, the offset of each of its rows (the last dimension), so a view whose rows are
/// contiguous is processed a row at a time by the vector kernels instead of an element at a time.
/// </summary>
internal struct StridedWalker
{
    private readonly Shape _shape;
    private readonly int _rank;
    private Shape.Dims _strides;
    private Shape.Dims _index;
    private int _offset;
    private bool _started;

    /// <summary>A walk over every element.</summary>
    public StridedWalker(Tensor tensor) : this(tensor, rowsOnly: false)
    {
    }

    /// <summary>A walk over every element, or over the rows when <paramref name="rowsOnly"/>.</summary>
    public StridedWalker(Tensor tensor, bool rowsOnly)
    {
        _shape = tensor.Shape;
        _rank = rowsOnly ? Math.Max(0, _shape.Rank - 1) : _shape.Rank;
        tensor.Strides.CopyTo(_strides);
    }

    /// <summary>Whether both tensors store their last dimension contiguously, so they can be walked by rows.</summary>
    public static bool RowsContiguous(Tensor a, Tensor b) => a.Rank > 0 && a.Strides[^1] == 1 && b.Strides[^1] == 1;

    /// <summary>The offset of the next element (or row).</summary>
    public int Next()
    {
        if (!_started)
        {
            _started = true;
            return 0;
        }
        for (int d = _rank - 1; d >= 0; d--)
        {
            if (++_index[d] < _shape[d])
            {
                _offset += _strides[d];
                return _offset;
            }
            _offset -= (_shape[d] - 1) * _strides[d];
            _index[d] = 0;
        }
        return _offset;
    }
}
