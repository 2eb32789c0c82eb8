using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// Copies (or adds) the elements of a strided view into another view of the same sizes, up to
/// <see cref="MaxRank"/> dimensions, one thread per element: what a tensor layer needs to make a transposed or sliced
/// view contiguous, and to add a gradient into such a view. No two elements of the destination may share memory.
/// </summary>
public static class StridedCopyGpu
{
    /// <summary>The most dimensions a view may have; views of more are refused.</summary>
    public const int MaxRank = 4;

    private static readonly KernelCache<Action<Index1D, ArrayView<float>, Layout, ArrayView<float>, Layout, Sizes, int>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, Layout, ArrayView<float>, Layout, Sizes, int>(Kernel));

    /// <summary>
    /// destination[index] = source[index] (or += when <paramref name="accumulate"/>) for every multi-index of
    /// <paramref name="sizes"/>, each view addressed from its offset by its strides, on <paramref name="device"/>; returns once queued.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxRank"/> dimensions, negative strides, or a view that reaches past its memory.</exception>
    public static void Copy(GpuDevice device, ReadOnlySpan<int> sizes, ArrayView<float> source, int sourceOffset, ReadOnlySpan<int> sourceStrides,
        ArrayView<float> destination, int destinationOffset, ReadOnlySpan<int> destinationStrides, bool accumulate)
    {
        if (sizes.Length > MaxRank)
            throw new ArgumentException($"A strided copy on the GPU takes at most {MaxRank} dimensions; this view has {sizes.Length}.");
        Span<int> padded = stackalloc int[MaxRank];
        padded.Fill(1);
        sizes.CopyTo(padded[(MaxRank - sizes.Length)..]);
        long count = 1;
        foreach (int size in sizes) count *= size;
        if (count == 0) return;
        if (count > int.MaxValue) throw new ArgumentException($"A strided copy of {count:N0} elements is beyond the {int.MaxValue:N0} the kernel indexes.");
        Layout from = Place(sizes, source, sourceOffset, sourceStrides, "source"), to = Place(sizes, destination, destinationOffset, destinationStrides, "destination");
        Launcher.On(device)((int)count, source, from, destination, to, new Sizes(padded[1], padded[2], padded[3]), accumulate ? 1 : 0);
    }

    /// <summary>The layout of one view, padded with leading dimensions of size 1; checked to stay inside the view's memory.</summary>
    private static Layout Place(ReadOnlySpan<int> sizes, ArrayView<float> view, int offset, ReadOnlySpan<int> strides, string name)
    {
        if (strides.Length != sizes.Length) throw new ArgumentException($"The {name} has {strides.Length} strides for {sizes.Length} dimensions.");
        Span<int> padded = stackalloc int[MaxRank];
        long last = offset;
        for (int d = 0; d < sizes.Length; d++)
        {
            if (strides[d] < 0 || offset < 0) throw new ArgumentException($"The {name}'s offset and strides must not be negative.");
            last += (long)(sizes[d] - 1) * strides[d];
            padded[MaxRank - sizes.Length + d] = strides[d];
        }
        if (last >= view.Length)
            throw new ArgumentException($"The {name} reaches element {last:N0}, past its {view.Length:N0} elements.");
        return new Layout(offset, padded[0], padded[1], padded[2], padded[3]);
    }

    private static void Kernel(Index1D i, ArrayView<float> source, Layout from, ArrayView<float> destination, Layout to, Sizes sizes, int accumulate)
    {
        int rest = i, i3 = rest % sizes.Size3;
        rest /= sizes.Size3;
        int i2 = rest % sizes.Size2;
        rest /= sizes.Size2;
        int i1 = rest % sizes.Size1, i0 = rest / sizes.Size1;
        float value = source[from.At(i0, i1, i2, i3)];
        long at = to.At(i0, i1, i2, i3);
        destination[at] = accumulate != 0 ? destination[at] + value : value;
    }

    /// <summary>The sizes of the three inner dimensions (the outer one follows from the element count); internal: ILGPU's launcher must see it.</summary>
    internal readonly record struct Sizes(int Size1, int Size2, int Size3);

    /// <summary>Where a view's elements lie: an offset and four strides; internal: ILGPU's launcher must see it.</summary>
    internal readonly record struct Layout(int Offset, int Stride0, int Stride1, int Stride2, int Stride3)
    {
        public long At(int i0, int i1, int i2, int i3) => Offset + (long)i0 * Stride0 + (long)i1 * Stride1 + (long)i2 * Stride2 + (long)i3 * Stride3;
    }
}
