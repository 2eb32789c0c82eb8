namespace EmbedEngine.Tensors;

/// <summary>Visits a strided tensor's elements in row-major order, giving each one's offset from the first element.</summary>
internal struct StridedWalker
{
    private readonly Shape _shape;
    private Shape.Dims _strides;
    private Shape.Dims _index;
    private int _offset;
    private bool _started;

    public StridedWalker(Tensor tensor)
    {
        _shape = tensor.Shape;
        tensor.Strides.CopyTo(_strides);
    }

    /// <summary>The offset of the next element.</summary>
    public int Next()
    {
        if (!_started)
        {
            _started = true;
            return 0;
        }
        for (int d = _shape.Rank - 1; d >= 0; d--)
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
