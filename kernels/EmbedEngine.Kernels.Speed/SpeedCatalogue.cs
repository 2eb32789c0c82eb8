using EmbedEngine.Kernels.Speed.Cases;

namespace EmbedEngine.Kernels.Speed;

/// <summary>One kernel at one shape, not yet built: <see cref="Create"/> allocates its operands.</summary>
/// <param name="Kernel">The kernel family, which <c>--kernels</c> matches.</param>
/// <param name="Create">Builds the case.</param>
public sealed record SpeedEntry(string Kernel, Func<SpeedCase> Create);

/// <summary>Every case of the speed suite: each kernel family at each of its <see cref="SpeedShapes"/>.</summary>
public static class SpeedCatalogue
{
    /// <summary>Every entry, in the order the table shows them.</summary>
    public static IReadOnlyList<SpeedEntry> Entries { get; } =
    [
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("Dot", () => VectorCases.Dot(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("Axpy", () => VectorCases.Axpy(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("BatchedSgns", () => VectorCases.BatchedSgns(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("LogisticUpdate", () => UpdateCases.LogisticUpdate(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("CbowAverage", () => UpdateCases.CbowAverage(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("CbowScatter", () => UpdateCases.CbowScatter(d))),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("GloveUpdate", () => UpdateCases.GloveUpdate(d))),
        .. SpeedShapes.GemmSizes.Select(s => new SpeedEntry("Sgemm", () => GemmCases.Sgemm(s))),
        new("Softmax", DenseCases.Softmax),
        new("Gelu", DenseCases.Gelu),
        new("LayerNorm", DenseCases.LayerNorm),
        new("Adam", DenseCases.Adam),
        .. SpeedShapes.VectorDims.Select(d => new SpeedEntry("TopKCosine", () => SearchCases.TopKCosine(d))),
        .. SpeedShapes.SparseWidths.Select(w => new SpeedEntry("SparseDenseProduct", () => SparseCases.Product(w))),
        new("SparseRowNorms", SparseCases.Norms),
        new("LstmCellForward", RecurrentCases.Forward),
        new("LstmCellBackward", RecurrentCases.Backward),
        new("InfoNce", LossCases.InfoNce),
        new("Attention", AttentionCases.Forward),
        new("AttentionBackward", AttentionCases.Backward),
    ];

    /// <summary>The kernel families, each once, in catalogue order.</summary>
    public static IReadOnlyList<string> Kernels => [.. Entries.Select(e => e.Kernel).Distinct()];
}
