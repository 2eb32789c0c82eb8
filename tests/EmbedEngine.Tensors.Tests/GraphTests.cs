using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors.Tests;

public class GraphTests
{
    [Fact]
    public void Backward_accumulates_into_leaves_across_calls_and_frees_the_graph()
    {
        using Tensor x = Tensor.FromArray([1f, 2f], 1, 2), w = Tensor.FromArray([3f, 4f], 2, 1);
        w.RequiresGrad = true;
        Ops.MatMul(x, w).Backward();
        Assert.Equal(0, Graph.Current.RecordedOperations);
        Assert.Equal(0, Graph.Current.LiveTensors);
        Assert.Equal([1f, 2f], w.Grad!.ToArray());
        Ops.MatMul(x, w).Backward();
        Assert.Equal([2f, 4f], w.Grad!.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Backward_reports_each_parameter_once_as_soon_as_its_gradient_is_final()
    {
        var random = new Random(4);
        using var first = new Modules.Linear(5, 6, random);
        using var second = new Modules.Linear(6, 4, random);
        using var third = new Modules.Linear(4, 3, random);
        using var unused = new Modules.Linear(2, 2, random);
        Tensor[] parameters = [.. first.Parameters(), .. second.Parameters(), .. third.Parameters(), .. unused.Parameters()];
        foreach (Tensor parameter in parameters) parameter.RequiresGrad = true;
        using Tensor x = Tensor.FromArray([.. Enumerable.Range(0, 10).Select(i => (float)Math.Sin(i))], 2, 5);
        var order = new List<int>();
        var reported = new Dictionary<int, float[]?>();
        bool firstLayerStillPending = false;

        Tensor loss = Ops.CrossEntropy(third.Forward(second.ForwardRelu(first.ForwardRelu(x))), [0, 2]);
        loss.Backward(parameters, p =>
        {
            order.Add(p);
            reported[p] = parameters[p].Grad?.ToArray();
            if (p == 4) firstLayerStillPending = parameters[0].Grad == null; // the last layer's weight, before the first layer's backward
        });

        Assert.Equal(parameters.Length, order.Count);
        Assert.Equal(parameters.Length, order.Distinct().Count());
        Assert.True(firstLayerStillPending, $"order {string.Join(",", order)}");
        Assert.True(order.IndexOf(4) < order.IndexOf(0));
        // A gradient reported final does not change afterwards; the unused layer's come last, with none.
        for (int p = 0; p < 6; p++) Assert.Equal(parameters[p].Grad!.ToArray(), reported[p]);
        Assert.Equal([6, 7], order.Skip(6).Order());
        Assert.Null(reported[6]);
    }

    [Fact]
    public void No_grad_scope_records_nothing()
    {
        Graph.Current.Release(); // counts below start from an empty tape, whatever ran before on this thread
        using Tensor x = Tensor.FromArray([1f, 2f], 1, 2), w = Tensor.FromArray([3f, 4f], 2, 1);
        w.RequiresGrad = true;
        using (Graph.NoGrad())
        {
            Tensor y = Ops.MatMul(x, w);
            Assert.False(y.RequiresGrad);
            Assert.Equal(11f, y.Item());
            Assert.Equal(0, Graph.Current.RecordedOperations);
        }
        Graph.Current.Release();
        Assert.True(Graph.Current.IsRecording);
    }

    [Fact]
    public void Backward_of_a_tensor_that_needs_no_gradient_is_refused()
    {
        using Tensor x = Tensor.FromArray([1f], 1, 1);
        Tensor y = Ops.MatMul(x, x);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void Repeated_steps_of_the_same_shapes_allocate_no_managed_memory()
    {
        using Tensor x = GradientCheck.Random(1, 8, 16), w = GradientCheck.Random(2, 4, 16), b = GradientCheck.Random(3, 4);
        w.RequiresGrad = true;
        b.RequiresGrad = true;
        using Tensor seed = Tensor.Full(1f, 8, 4);
        void Step() => Ops.Linear(x, w, b).Transpose(0, 1).Contiguous().Transpose(0, 1).Backward(seed);
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
