using EmbedEngine.Tensors.Autograd;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>
/// A float32 tensor: a shape, strides in elements and an offset into 64-byte aligned native memory that views
/// share. Tensors made by the factory methods belong to the caller, who disposes them; tensors that operations
/// return belong to the current thread's <see cref="Graph"/>, which recycles them after <see cref="Backward(Tensor?)"/> or
/// <see cref="Graph.Release"/>, so a training step allocates nothing once the sizes repeat.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable
{
    private TensorStorage? _storage;
    private Shape _shape;
    private Shape.Dims _strides;
    private int _offset;

    internal Tensor()
    {
    }

    /// <summary>Sizes of the dimensions.</summary>
    public Shape Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Rank;

    /// <summary>Number of elements.</summary>
    public int Count => _shape.Count;

    /// <summary>Where the memory lives.</summary>
    public Device Device => Storage.Device;

    /// <summary>Whether gradients flow to this tensor; set it on leaves (parameters), operations propagate it.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient after <see cref="Backward(Tensor?)"/>, with this tensor's shape; null before.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether the current graph made this tensor and will recycle it.</summary>
    internal bool BelongsToGraph { get; set; }

    /// <summary>Elements to step over to move one along <paramref name="dimension"/>.</summary>
    public int Stride(int dimension) => _strides[_shape.Normalize(dimension)];

    /// <summary>The strides of every dimension.</summary>
    public ReadOnlySpan<int> Strides => ((ReadOnlySpan<int>)_strides)[..Rank];

    /// <summary>Pointer to the first element.</summary>
    public float* Data => Storage.Pointer + _offset;

    /// <summary>Whether the elements are laid out row-major without gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            int expected = 1;
            for (int d = Rank - 1; d >= 0; d--)
            {
                if (_shape[d] != 1 && _strides[d] != expected) return false;
                expected *= _shape[d];
            }
            return true;
        }
    }

    internal TensorStorage Storage => _storage ?? throw new ObjectDisposedException(nameof(Tensor), "The tensor has been disposed or recycled.");

    internal int Offset => _offset;

    /// <summary>The elements as a span; only for a contiguous tensor.</summary>
    public Span<float> AsSpan()
    {
        if (!IsContiguous) throw new InvalidOperationException($"A tensor of shape {Shape} with strides [{string.Join(", ", Strides.ToArray())}] is not contiguous; call Contiguous() first.");
        return new Span<float>(Data, Count);
    }

    /// <summary>A zero-filled tensor the caller owns.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> sizes) => Owned(new Shape(sizes), zero: true);

    /// <summary>A tensor filled with <paramref name="value"/>, owned by the caller.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> sizes)
    {
        Tensor tensor = Owned(new Shape(sizes), zero: false);
        tensor.AsSpan().Fill(value);
        return tensor;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/>, owned by the caller.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params ReadOnlySpan<int> sizes)
    {
        var shape = new Shape(sizes);
        if (values.Length != shape.Count)
            throw new ArgumentException($"{values.Length} values cannot fill a tensor of shape {shape} ({shape.Count} elements).", nameof(values));
        Tensor tensor = Owned(shape, zero: false);
        values.CopyTo(tensor.AsSpan());
        return tensor;
    }

    /// <summary>A tensor of <paramref name="shape"/> the caller owns, on the CPU unless <paramref name="device"/> says otherwise.</summary>
    internal static Tensor Owned(in Shape shape, bool zero, Device? device = null)
    {
        var tensor = new Tensor();
        tensor.Attach(TensorStorage.Allocate(device ?? Device.Cpu, shape.Count, zero), 0, shape);
        return tensor;
    }

    /// <summary>Points this tensor at <paramref name="storage"/> as a contiguous tensor of <paramref name="shape"/>.</summary>
    internal void Attach(TensorStorage storage, int offset, in Shape shape)
    {
        _storage = storage;
        _offset = offset;
        _shape = shape;
        shape.ContiguousStrides(_strides);
    }

    /// <summary>Points this tensor at <paramref name="storage"/> with explicit strides (a view); takes a reference.</summary>
    internal void AttachView(TensorStorage storage, int offset, in Shape shape, ReadOnlySpan<int> strides)
    {
        storage.AddReference();
        _storage = storage;
        _offset = offset;
        _shape = shape;
        strides.CopyTo(_strides);
    }

    /// <summary>Drops this tensor's reference to its memory and its gradient; returns the storage when it was the last reference.</summary>
    internal TensorStorage? Detach()
    {
        TensorStorage? storage = _storage;
        _storage = null;
        Grad = null;
        RequiresGrad = false;
        return storage != null && storage.Release() ? storage : null;
    }

    /// <summary>Element offset (from <see cref="Data"/>) of a multi-index.</summary>
    private int OffsetOf(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank) throw new ArgumentException($"A rank-{Rank} tensor needs {Rank} indices, got {index.Length}.", nameof(index));
        int offset = 0;
        for (int d = 0; d < Rank; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new IndexOutOfRangeException($"Index {index[d]} is outside dimension {d} of size {_shape[d]}.");
            offset += index[d] * _strides[d];
        }
        return offset;
    }

    /// <summary>One element, by multi-index (slow: for tests and small inspections).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params ReadOnlySpan<int> index]
    {
        get => Data[OffsetOf(index)];
        set => Data[OffsetOf(index)] = value;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item() => Count != 1 ? throw new InvalidOperationException($"Item() needs one element; the tensor has shape {Shape}.")
        : Device.Kind == DeviceKind.Gpu ? ToArray()[0] : Data[0];

    /// <summary>The elements in row-major order, copied to a new array.</summary>
    public float[] ToArray()
    {
        var values = new float[Count];
        CopyTo(values);
        return values;
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < Count) throw new ArgumentException($"The destination holds {destination.Length} floats; {Count} needed.", nameof(destination));
        if (Device.Kind == DeviceKind.Gpu)
        {
            if (IsContiguous)
            {
                DeviceView("CopyTo").CopyToCPU(destination[..Count]);
                return;
            }
            using Tensor packed = Owned(Shape, zero: false, Device);
            CopyOnDevice(packed, accumulate: false);
            packed.CopyTo(destination);
            return;
        }
        if (IsContiguous)
        {
            new ReadOnlySpan<float>(Data, Count).CopyTo(destination);
            return;
        }
        if (Rank > 0 && Strides[^1] == 1)
        {
            int width = Shape[-1];
            var rows = new StridedWalker(this, rowsOnly: true);
            for (int start = 0; start < Count; start += width) new ReadOnlySpan<float>(Data + rows.Next(), width).CopyTo(destination.Slice(start, width));
            return;
        }
        var walker = new StridedWalker(this);
        for (int i = 0; i < Count; i++) destination[i] = Data[walker.Next()];
    }

    /// <summary>Overwrites the elements with <paramref name="values"/> in row-major order.</summary>
    public void CopyFrom(ReadOnlySpan<float> values)
    {
        if (values.Length != Count) throw new ArgumentException($"{values.Length} values for a tensor of {Count} elements.", nameof(values));
        if (Device.Kind == DeviceKind.Gpu)
        {
            if (IsContiguous)
            {
                DeviceView("CopyFrom").CopyFromCPU(values);
                return;
            }
            using Tensor packed = Owned(Shape, zero: false, Device);
            packed.CopyFrom(values);
            packed.CopyOnDevice(this, accumulate: false);
            return;
        }
        if (IsContiguous)
        {
            values.CopyTo(new Span<float>(Data, Count));
            return;
        }
        if (Rank > 0 && Strides[^1] == 1)
        {
            int width = Shape[-1];
            var rows = new StridedWalker(this, rowsOnly: true);
            for (int start = 0; start < Count; start += width) values.Slice(start, width).CopyTo(new Span<float>(Data + rows.Next(), width));
            return;
        }
        var walker = new StridedWalker(this);
        for (int i = 0; i < Count; i++) Data[walker.Next()] = values[i];
    }

    /// <summary>
    /// A copy of this tensor on <paramref name="device"/> (also when it is already there), owned by the caller; copies
    /// between devices are always explicit. The copy is a leaf: it keeps <see cref="RequiresGrad"/>, not the history.
    /// </summary>
    public Tensor To(Device device)
    {
        var copy = new Tensor();
        copy.Attach(TensorStorage.Allocate(device, Count, zero: false), 0, Shape);
        if (device.Kind == DeviceKind.Gpu && Device.Kind == DeviceKind.Gpu)
        {
            if (device != Device)
                throw new NotSupportedException($"Copying from {Device} to {device} directly is not supported; go through To(Device.Cpu).");
            CopyOnDevice(copy, accumulate: false);
        }
        else if (device.Kind == DeviceKind.Gpu)
            copy.CopyFrom(Contiguous().AsSpan());
        else
            CopyTo(copy.AsSpan());
        copy.RequiresGrad = RequiresGrad;
        return copy;
    }

    /// <summary>The elements of a contiguous GPU tensor as a device view.</summary>
    internal ILGPU.ArrayView<float> DeviceView(string operation)
    {
        if (!IsContiguous)
            throw new NotSupportedException($"{operation}: strided views of a GPU tensor (shape {Shape}, strides [{string.Join(", ", Strides.ToArray())}]) are not supported; make the view on the CPU or reshape a contiguous tensor.");
        return Storage.View.SubView(_offset, Count);
    }

    /// <summary>Releases the memory of a tensor the caller owns; tensors of the graph are recycled by it instead.</summary>
    public void Dispose()
    {
        if (BelongsToGraph) return;
        Detach();
        Grad?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{Shape}";
}
