using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// Every operation with a GPU kernel, run on the CPU and on the GPU device from the same inputs and the same output
/// gradient: the outputs and every input's gradient must agree within float rounding of the sums involved (the GPU
/// adds in another order).
/// </summary>
public class GpuMatchesCpuTests
{
    /// <summary>Relative agreement: products and row reductions here sum at most a few dozen terms of magnitude ≲ 1.</summary>
    private const float Tolerance = 2e-5f;

    private static readonly int[] Targets = [2, CrossEntropyKernel.DefaultIgnoreIndex, 0, 4];

    private static readonly int[] Rows = [3, 1, 3, 0, 2];

    /// <summary>Four bags: two rows, one row named twice with another, none, one.</summary>
    private static readonly int[] BagRows = [0, 4, 2, 2, 1, 3], BagOffsets = [0, 2, 5, 5, 6];

    /// <summary>One sequence sees no key at all, one only some, one all.</summary>
    private static readonly int[] AttentionKeyLengths = [0, 2, 4];

    /// <summary>Each case: its inputs' shapes and the operation on them.</summary>
    private static readonly Dictionary<string, (int[][] Shapes, Func<Tensor[], Tensor> Operation)> Cases = new()
    {
        ["MatMul"] = ([[3, 5], [5, 4]], t => Ops.MatMul(t[0], t[1])),
        ["MatMul of transposed views"] = ([[5, 3], [4, 5]], t => Ops.MatMul(t[0].Transpose(0, 1), t[1].Transpose(0, 1))),
        ["Batched MatMul"] = ([[2, 3, 4], [2, 4, 3]], t => Ops.MatMul(t[0], t[1])),
        ["Linear"] = ([[2, 3, 5], [4, 5], [4]], t => Ops.Linear(t[0], t[1], t[2])),
        ["LinearRelu"] = ([[6, 5], [4, 5], [4]], t => Ops.LinearRelu(t[0], t[1], t[2])),
        ["Relu"] = ([[4, 6]], t => Ops.Relu(t[0])),
        ["Gelu"] = ([[4, 6]], t => Ops.Gelu(t[0])),
        ["Softmax"] = ([[3, 7]], t => Ops.Softmax(t[0])),
        ["LogSoftmax"] = ([[3, 7]], t => Ops.LogSoftmax(t[0])),
        ["LayerNorm"] = ([[4, 6], [6], [6]], t => Ops.LayerNorm(t[0], t[1], t[2])),
        ["Embedding"] = ([[4, 3]], t => Ops.Embedding(t[0], Rows)),
        ["CrossEntropy"] = ([[4, 5]], t => Ops.CrossEntropy(t[0], Targets)),
        ["Scale and Add"] = ([[2, 5], [2, 5]], t => Ops.Add(Ops.Scale(t[0], -1.5f), t[1])),
        ["Dropout"] = ([[5, 8]], t => Ops.Dropout(t[0], 0.4f, 77)),
        ["Transpose, Contiguous and Reshape"] = ([[2, 3, 4]], t => Ops.Gelu(t[0].Transpose(0, 2).Contiguous().Reshape(4, 6))),
        ["Tanh"] = ([[4, 6]], t => Ops.Tanh(t[0])),
        ["Sigmoid"] = ([[4, 6]], t => Ops.Sigmoid(t[0])),
        ["Sum and Mean"] = ([[3, 7], [40]], t => Ops.Add(Ops.Sum(t[0]), Ops.Mean(t[1]))),
        ["Attention over slices of one fused projection"] = ([[2, 5, 12]], t =>
            Ops.Attention(t[0].Slice(-1, 0, 4), t[0].Slice(-1, 4, 4), t[0].Slice(-1, 8, 4), heads: 2, causal: true)),
        ["Attention with padded keys"] = ([[3, 2, 4], [3, 4, 4], [3, 4, 4]], t => Ops.Attention(t[0], t[1], t[2], heads: 1, causal: false, AttentionKeyLengths)),
        ["L2Normalize"] = ([[3, 2, 5]], t => Ops.L2Normalize(t[0])),
        ["InfoNce with hard negatives"] = ([[4, 3], [6, 3], [1]], t => Ops.InfoNce(Ops.L2Normalize(t[0]), Ops.L2Normalize(t[1]), t[2], negatives: 2)),
        ["Lstm from given states"] = ([[4, 2, 3], [12, 3], [12, 3], [12], [2, 3], [2, 3]], t => Ops.Lstm(t[0], t[1], t[2], t[3], t[4], t[5])),
        ["Lstm with a projection, over a transposed input"] = ([[2, 4, 3], [12, 3], [12, 2], [12], [2, 3]], t =>
            Ops.Lstm(t[0].Transpose(0, 1), t[1], t[2], t[3], projectionWeights: t[4])),
        ["ReverseSteps and ConcatLast, as a bidirectional layer joins its directions"] = ([[3, 2, 4], [3, 2, 2]], t =>
            Ops.ConcatLast(Ops.ReverseSteps(t[0].Transpose(0, 1).Contiguous().Transpose(0, 1)), t[1])),
        ["EmbeddingBagMean with a repeated row and an empty bag"] = ([[5, 3]], t => Ops.EmbeddingBagMean(t[0], BagRows, BagOffsets)),
        ["Slice of a transposed view"] = ([[3, 5]], t => Ops.Relu(t[0].Transpose(0, 1).Slice(0, 1, 3).Contiguous())),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_gradients_on_the_gpu_equal_the_cpu(string name)
    {
        var (shapes, operation) = Cases[name];
        Tensor[] host = shapes.Select((shape, i) => GradientCheck.Random(20 + i, shape)).ToArray();
        Tensor[] device = host.Select(t => t.To(TestDevices.Gpu)).ToArray();
        try
        {
            var (cpuOutput, cpuGradients) = Run(operation, host);
            var (gpuOutput, gpuGradients) = Run(operation, device);
            AssertClose(cpuOutput, gpuOutput, $"{name}: output");
            for (int i = 0; i < host.Length; i++) AssertClose(cpuGradients[i], gpuGradients[i], $"{name}: gradient of input {i}");
        }
        finally
        {
            foreach (Tensor tensor in host.Concat(device)) tensor.Dispose();
        }
    }

    [Fact]
    public void Lstm_writes_the_final_cell_the_cpu_writes()
    {
        Tensor[] host = [GradientCheck.Random(30, 3, 2, 3), GradientCheck.Random(31, 12, 3), GradientCheck.Random(32, 12, 3), GradientCheck.Random(33, 12)];
        Tensor[] device = host.Select(t => t.To(TestDevices.Gpu)).ToArray();
        using Tensor cpuCell = Tensor.Zeros(2, 3), gpuCell = cpuCell.To(TestDevices.Gpu);
        try
        {
            Ops.Lstm(host[0], host[1], host[2], host[3], finalCell: cpuCell);
            Ops.Lstm(device[0], device[1], device[2], device[3], finalCell: gpuCell);
            float[] expected = cpuCell.ToArray();
            Assert.Contains(expected, v => v != 0f);
            AssertClose(expected, gpuCell.ToArray(), "Lstm: final cell");
        }
        finally
        {
            foreach (Tensor tensor in host.Concat(device)) tensor.Dispose();
            Graph.Current.Release();
        }
    }

    /// <summary>The output and the inputs' gradients (zeros where none flowed), as host arrays; the output gradient is fixed by a seed.</summary>
    private static (float[] Output, float[][] Gradients) Run(Func<Tensor[], Tensor> operation, Tensor[] inputs)
    {
        foreach (Tensor input in inputs)
        {
            input.Grad?.Dispose();
            input.Grad = null;
            input.RequiresGrad = true;
        }
        Tensor output = operation(inputs);
        Assert.Equal(inputs[0].Device, output.Device);
        float[] values = output.ToArray();
        using Tensor seed = GradientCheck.Random(99, output.Shape.ToArray());
        using Tensor placed = seed.To(output.Device);
        output.Backward(placed);
        return (values, inputs.Select(t => t.Grad?.ToArray() ?? new float[t.Count]).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * Math.Max(1f, Math.Abs(expected[i])),
                $"{what}, element {i}: the CPU gives {expected[i]}, the GPU {actual[i]}.");
    }
}
