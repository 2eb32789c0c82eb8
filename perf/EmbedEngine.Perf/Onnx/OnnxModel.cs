namespace EmbedEngine.Perf.Onnx;

/// <summary>
/// A one-node ONNX model over float32 tensors, encoded from the field numbers of onnx.proto (ModelProto, GraphProto,
/// NodeProto, AttributeProto, ValueInfoProto, TypeProto, TensorShapeProto).
/// </summary>
internal static class OnnxModel
{
    /// <summary>IR version 9 (ONNX 1.15) carries opset 20, the first with Gelu.</summary>
    private const int IrVersion = 9, Opset = 20;

    /// <summary>TensorProto.DataType.FLOAT.</summary>
    internal const int FloatType = 1;

    /// <summary>AttributeProto.AttributeType values.</summary>
    private const int FloatAttribute = 1, IntAttribute = 2, StringAttribute = 3;

    /// <summary>One input or output: its name and shape.</summary>
    public readonly record struct Tensor(string Name, params long[] Shape);

    /// <summary>An attribute of the node.</summary>
    public readonly record struct Attribute(string Name, object Value);

    /// <summary>The encoded model: one node of <paramref name="opType"/> from the inputs to the outputs.</summary>
    public static byte[] Build(string opType, Tensor[] inputs, Tensor[] outputs, params Attribute[] attributes) =>
        Build(opType, "", inputs, outputs, attributes);

    /// <summary>
    /// As <see cref="Build(string, Tensor[], Tensor[], Attribute[])"/> for an operator of <paramref name="domain"/>
    /// ("com.microsoft" for ONNX Runtime's contrib operators, e.g. MultiHeadAttention), whose opset 1 the model imports.
    /// </summary>
    public static byte[] Build(string opType, string domain, Tensor[] inputs, Tensor[] outputs, params Attribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (Tensor input in inputs) node.String(1, input.Name);
        foreach (Tensor output in outputs) node.String(2, output.Name);
        node.String(3, opType).String(4, opType);
        foreach (Attribute attribute in attributes) node.Message(5, Encode(attribute));
        if (domain.Length > 0) node.String(7, domain);
        var graph = new ProtoWriter().Message(1, node).String(2, opType + "Graph");
        foreach (Tensor input in inputs) graph.Message(11, ValueInfo(input));
        foreach (Tensor output in outputs) graph.Message(12, ValueInfo(output));
        return Model(graph, domain);
    }

    /// <summary>
    /// The encoded model around <paramref name="graph"/>: IR version, producer, the default opset and, when
    /// <paramref name="domain"/> is not empty, version 1 of that domain's opset.
    /// </summary>
    internal static byte[] Model(ProtoWriter graph, string domain = "")
    {
        var model = new ProtoWriter()
            .Int(1, IrVersion)
            .String(2, "EmbedEngine.Perf")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, Opset));
        if (domain.Length > 0) model.Message(8, new ProtoWriter().String(1, domain).Int(2, 1));
        return model.ToArray();
    }

    /// <summary>A node attribute (AttributeProto).</summary>
    internal static ProtoWriter Encode(Attribute attribute)
    {
        var a = new ProtoWriter().String(1, attribute.Name);
        return attribute.Value switch
        {
            float f => a.Float(2, f).Int(20, FloatAttribute),
            int i => a.Int(3, i).Int(20, IntAttribute),
            string s => a.String(4, s).Int(20, StringAttribute),
            _ => throw new ArgumentException($"Attribute '{attribute.Name}' has an unsupported type."),
        };
    }

    /// <summary>A float tensor input or output of the graph (ValueInfoProto).</summary>
    internal static ProtoWriter ValueInfo(Tensor tensor)
    {
        var shape = new ProtoWriter();
        foreach (long dim in tensor.Shape) shape.Message(1, new ProtoWriter().Int(1, dim));
        var tensorType = new ProtoWriter().Int(1, FloatType).Message(2, shape);
        return new ProtoWriter().String(1, tensor.Name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
