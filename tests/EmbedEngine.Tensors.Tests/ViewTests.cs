using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors.Tests;

public class ViewTests
{
    private static Tensor Counting(params int[] sizes)
    {
        int count = sizes.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), sizes);
    }

    [Fact]
    public void Transpose_swaps_strides_without_copying()
    {
        using Tensor x = Counting(2, 3);
        Tensor t = x.Transpose(0, 1);
        Assert.Equal(new Shape(3, 2), t.Shape);
        Assert.Equal([1, 3], t.Strides.ToArray());
        Assert.False(t.IsContiguous);
        Assert.Equal([0f, 3, 1, 4, 2, 5], t.ToArray());
        t[2, 1] = 50f;
        Assert.Equal(50f, x[1, 2]);
        Graph.Current.Release();
    }

    [Fact]
    public void Slice_views_a_range_of_one_dimension()
    {
        using Tensor x = Counting(3, 4);
        Tensor s = x.Slice(1, 1, 2);
        Assert.Equal(new Shape(3, 2), s.Shape);
        Assert.Equal([1f, 2, 5, 6, 9, 10], s.ToArray());
        Tensor rows = x.Slice(0, 2, 1);
        Assert.Equal([8f, 9, 10, 11], rows.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 3, 2));
        Graph.Current.Release();
    }

    [Fact]
    public void Reshape_infers_one_size_and_refuses_strided_views()
    {
        using Tensor x = Counting(2, 3, 4);
        Tensor r = x.Reshape(-1, 4);
        Assert.Equal(new Shape(6, 4), r.Shape);
        Assert.Equal(x.ToArray(), r.ToArray());
        Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
        Assert.Throws<InvalidOperationException>(() => x.Transpose(0, 2).Reshape(24));
        Tensor copied = x.Transpose(0, 2).Contiguous().Reshape(24);
        Assert.Equal(x[1, 2, 3], copied[(3 * 3 + 2) * 2 + 1]);
        Graph.Current.Release();
    }

    [Fact]
    public void Gradients_flow_back_through_views_to_the_right_elements()
    {
        using Tensor x = GradientCheck.Random(1, 3, 4);
        GradientCheck.Check(t => t[0].Transpose(0, 1).Slice(0, 1, 2).Contiguous().Reshape(6), p =>
        {
            // Columns 1 and 2 of x, as rows of the transpose.
            var y = new double[6];
            for (int c = 0; c < 2; c++)
                for (int r = 0; r < 3; r++) y[c * 3 + r] = p[0][r * 4 + c + 1];
            return y;
        }, x);
        float[] grad = x.Grad!.ToArray();
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(0f, grad[r * 4]);
            Assert.Equal(0f, grad[r * 4 + 3]);
        }
    }

    [Fact]
    public void A_recycled_tensor_refuses_access()
    {
        using Tensor x = Counting(2, 2);
        Tensor view = x.Transpose(0, 1);
        Graph.Current.Release();
        Assert.Throws<ObjectDisposedException>(() => view.ToArray());
        Assert.Equal(3f, x[1, 1]);
    }
}
