namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>The word2vec kernels: Dot, Axpy and the batched SGNS window update, at <see cref="SpeedShapes.VectorDims"/>.</summary>
internal static unsafe class VectorCases
{
    /// <summary>Small enough that y stays far from overflow over millions of calls.</summary>
    private const float AxpyScale = 1e-4f;

    private const float LearningRate = 0.025f;

    public static SpeedCase Dot(int dim)
    {
        var operands = new Operands();
        NativeMatrix v = operands.Matrix(2, dim);
        return SpeedCase.Of<DotFn>("Dot", $"n={dim}", Work.Flops(2.0 * dim), (DotKernel.Scalar, DotKernel.Avx2, DotKernel.Avx512),
            dot => () =>
            {
                float sum = 0f;
                for (int call = 0; call < SpeedCase.ShortKernelCalls; call++) sum += dot(v.Row(0), v.Row(1));
                Sink.Result = sum;
            },
            operands, callsPerRun: SpeedCase.ShortKernelCalls);
    }

    public static SpeedCase Axpy(int dim)
    {
        var operands = new Operands();
        NativeMatrix v = operands.Matrix(2, dim);
        return SpeedCase.Of<AxpyFn>("Axpy", $"n={dim}", Work.Flops(2.0 * dim), (AxpyKernel.Scalar, AxpyKernel.Avx2, AxpyKernel.Avx512),
            axpy => () =>
            {
                for (int call = 0; call < SpeedCase.ShortKernelCalls; call++) axpy(AxpyScale, v.Row(0), v.Row(1));
            },
            operands, callsPerRun: SpeedCase.ShortKernelCalls);
    }

    /// <summary>
    /// One skip-gram window: S = C·Oᵀ, then C += G·O and O += Gᵀ·C, three products of
    /// <see cref="SpeedShapes.SgnsContextRows"/>×<see cref="SpeedShapes.SgnsOutputs"/>×dim.
    /// </summary>
    public static SpeedCase BatchedSgns(int dim)
    {
        var operands = new Operands();
        NativeMatrix input = operands.Matrix(SpeedShapes.SgnsTableRows, dim, salt: 5);
        NativeMatrix output = operands.Matrix(SpeedShapes.SgnsTableRows, dim, salt: 6);
        int[] context = BenchmarkData.DistinctRows(SpeedShapes.SgnsContextRows, SpeedShapes.SgnsTableRows, salt: 7);
        int[] targets = BenchmarkData.DistinctRows(SpeedShapes.SgnsOutputs, SpeedShapes.SgnsTableRows, salt: 8);
        var scratch = new float[BatchedSgnsKernel.ScratchLength(context.Length, targets.Length, dim)];
        double flops = 3 * 2.0 * context.Length * targets.Length * dim;
        return SpeedCase.Of<BatchedSgnsFn>("BatchedSgns", $"{context.Length}x{targets.Length}, d={dim}", Work.Flops(flops),
            (BatchedSgnsKernel.Scalar, BatchedSgnsKernel.Avx2, BatchedSgnsKernel.Avx512),
            update => () => Sink.Result = update(input.Data, input.Stride, context, output.Data, output.Stride, targets, dim, LearningRate, scratch, SigmoidMode.Table),
            operands);
    }
}
