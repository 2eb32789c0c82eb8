using System.Runtime.InteropServices;

namespace EmbedEngine.Perf.Onnx;

/// <summary>
/// An MLP as an ONNX graph: Gemm (weights [out, in], transB = 1, bias) then Relu for every layer but the last, the
/// weights stored as initializers so ONNX Runtime may pre-pack them, encoded from onnx.proto's field numbers.
/// </summary>
internal static class OnnxMlp
{
    /// <summary>The model from X [batch, inputs] to Y [batch, outputs] for the given layers' weights and biases.</summary>
    public static byte[] Build(int batch, IReadOnlyList<(float[] Weight, int Outputs, int Inputs, float[] Bias)> layers)
    {
        var graph = new ProtoWriter();
        string current = "X";
        for (int i = 0; i < layers.Count; i++)
        {
            bool last = i == layers.Count - 1;
            string gemm = last ? "Y" : $"h{i}";
            graph.Message(1, new ProtoWriter().String(1, current).String(1, $"w{i}").String(1, $"b{i}").String(2, gemm)
                .String(3, $"gemm{i}").String(4, "Gemm")
                .Message(5, OnnxModel.Encode(new OnnxModel.Attribute("transB", 1))));
            current = gemm;
            if (!last)
            {
                graph.Message(1, new ProtoWriter().String(1, gemm).String(2, $"r{i}").String(3, $"relu{i}").String(4, "Relu"));
                current = $"r{i}";
            }
        }
        graph.String(2, "Mlp");
        for (int i = 0; i < layers.Count; i++)
        {
            graph.Message(5, Initializer($"w{i}", layers[i].Weight, layers[i].Outputs, layers[i].Inputs));
            graph.Message(5, Initializer($"b{i}", layers[i].Bias, layers[i].Outputs));
        }
        graph.Message(11, OnnxModel.ValueInfo(new OnnxModel.Tensor("X", batch, layers[0].Inputs)));
        graph.Message(12, OnnxModel.ValueInfo(new OnnxModel.Tensor("Y", batch, layers[^1].Outputs)));
        return OnnxModel.Model(graph);
    }

    private static ProtoWriter Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new ProtoWriter();
        foreach (long d in dims) tensor.Int(1, d);
        return tensor.Int(2, OnnxModel.FloatType).String(8, name).Raw(9, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }
}
