using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

public class NativeMatrixTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 15)]
    [InlineData(7, 16)]
    [InlineData(3, 17)]
    [InlineData(4, 100)]
    [InlineData(2, 300)]
    public unsafe void Padded_rows_each_start_on_a_cache_line(int rows, int columns)
    {
        using var m = NativeMatrix.Allocate(rows, columns, padRows: true);
        Assert.Equal(0, m.Stride % 16);
        Assert.InRange(m.Stride, columns, columns + 15);
        for (int r = 0; r < rows; r++) Assert.Equal(0, (long)m.RowPointer(r) % NativeMatrix.Alignment);
    }

    [Theory]
    [InlineData(3, 17)]
    [InlineData(4, 100)]
    public unsafe void Unpadded_rows_are_packed_after_an_aligned_start(int rows, int columns)
    {
        using var m = NativeMatrix.Allocate(rows, columns);
        Assert.Equal(columns, m.Stride);
        Assert.Equal(0, (long)m.Data % NativeMatrix.Alignment);
        Assert.Equal(columns * sizeof(float), (long)((byte*)m.RowPointer(1) - (byte*)m.RowPointer(0)));
    }

    [Fact]
    public unsafe void Allocation_is_zeroed_padding_included()
    {
        using var m = NativeMatrix.Allocate(9, 37, padRows: true);
        var all = new ReadOnlySpan<float>(m.Data, m.Rows * m.Stride);
        Assert.Equal(9 * 48, all.Length);
        Assert.True(all.IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void Rows_are_views_of_the_used_columns()
    {
        using var m = NativeMatrix.Allocate(3, 5, padRows: true);
        m.Row(1)[4] = 2.5f;
        Assert.Equal(5, m.Row(1).Length);
        Assert.Equal(2.5f, m.Row(1)[4]);
        Assert.Equal(0f, m.Row(2)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(-1));
    }

    [Fact]
    public unsafe void Dispose_frees_once_and_then_refuses_access()
    {
        var m = NativeMatrix.Allocate(2, 2);
        m.Dispose();
        m.Dispose();
        Assert.Throws<ObjectDisposedException>(() => (nint)m.Data);
    }

    [Fact]
    public unsafe void Wrap_disposes_its_owner_with_the_view()
    {
        var owner = new Owner();
        float* data = stackalloc float[6];
        using (var m = NativeMatrix.Wrap(data, 2, 3, 3, owner))
        {
            m.Row(1)[2] = 7f;
            Assert.Equal(7f, data[5]);
        }
        Assert.True(owner.Disposed);
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeMatrix.Wrap(data, 2, 3, 2, null));
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
