namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>
/// The per-window updates of word2vec and GloVe at <see cref="SpeedShapes.VectorDims"/>, on the problems the
/// BenchmarkDotNet classes in perf/ time: negative sampling's logistic update, CBOW's average and scatter, GloVe's
/// AdaGrad step.
/// </summary>
internal static unsafe class UpdateCases
{
    private const float LearningRate = 0.025f;

    /// <summary>The true word then the negatives.</summary>
    private static readonly float[] Labels = [1f, .. Enumerable.Repeat(0f, SpeedShapes.SgnsOutputs - 1)];

    /// <summary>One hidden vector against the true word and five negatives, table sigmoid: a dot, a gradient and an output-row update per target.</summary>
    public static SpeedCase LogisticUpdate(int dim)
    {
        var operands = new Operands();
        NativeMatrix output = operands.Matrix(SpeedShapes.SgnsTableRows, dim, salt: 1);
        NativeMatrix hidden = operands.Matrix(1, dim, salt: 2);
        int[] targets = BenchmarkData.DistinctRows(SpeedShapes.SgnsOutputs, SpeedShapes.SgnsTableRows);
        var grad = new float[dim];
        return SpeedCase.Of<LogisticFn>("LogisticUpdate", $"{targets.Length} targets, d={dim}", Work.Flops(3 * 2.0 * targets.Length * dim),
            (LogisticUpdateKernel.Scalar, LogisticUpdateKernel.Avx2, LogisticUpdateKernel.Avx512),
            update => () => Sink.Result = update(hidden.Row(0), OutputRows.Of(output), targets, Labels, LearningRate, grad, SigmoidMode.Table),
            operands);
    }

    /// <summary>The mean of a window's context rows: an add a column per row (then a scale).</summary>
    public static SpeedCase CbowAverage(int dim)
    {
        var operands = new Operands();
        NativeMatrix input = operands.Matrix(SpeedShapes.SgnsTableRows, dim, salt: 3);
        int[] context = BenchmarkData.DistinctRows(SpeedShapes.SgnsContextRows, SpeedShapes.SgnsTableRows, salt: 4);
        var average = new float[dim];
        return SpeedCase.Of<AverageFn>("CbowAverage", $"{context.Length} rows, d={dim}", Work.Flops((double)context.Length * dim),
            (CbowKernel.AverageScalar, CbowKernel.AverageAvx2, CbowKernel.AverageAvx512),
            mean => () =>
            {
                for (int call = 0; call < SpeedCase.ShortKernelCalls; call++) mean(input.Data, input.Stride, context, average);
            },
            operands, callsPerRun: SpeedCase.ShortKernelCalls);
    }

    /// <summary>The gradient added to each of a window's context rows: an add a column per row. The rows stay in cache, so flops, not bytes.</summary>
    public static SpeedCase CbowScatter(int dim)
    {
        var operands = new Operands();
        NativeMatrix input = operands.Matrix(SpeedShapes.SgnsTableRows, dim, salt: 3);
        int[] context = BenchmarkData.DistinctRows(SpeedShapes.SgnsContextRows, SpeedShapes.SgnsTableRows, salt: 4);
        // A tiny gradient keeps the scattered rows bounded however many calls a run makes.
        float[] grad = [.. Enumerable.Range(0, dim).Select(c => 1e-6f * (c % 2 == 0 ? 1 : -1))];
        return SpeedCase.Of<ScatterFn>("CbowScatter", $"{context.Length} rows, d={dim}", Work.Flops((double)context.Length * dim),
            (CbowKernel.ScatterScalar, CbowKernel.ScatterAvx2, CbowKernel.ScatterAvx512),
            scatter => () =>
            {
                for (int call = 0; call < SpeedCase.ShortKernelCalls; call++) scatter(input.Data, input.Stride, context, grad);
            },
            operands, callsPerRun: SpeedCase.ShortKernelCalls);
    }

    /// <summary>
    /// <see cref="SpeedShapes.GloveEntriesPerCall"/> AdaGrad steps with GloVe's defaults (x_max 100, α 0.75, η 0.05),
    /// squared-gradient sums started at 1, each on the next entry of a fixed list so rows and sums do not all converge
    /// on one entry. Work: the dot's 2 flops a column and the update's 14 (sqrt and division counted as one each).
    /// </summary>
    public static SpeedCase GloveUpdate(int dim)
    {
        const int rows = SpeedShapes.GloveRows, entries = SpeedShapes.GloveEntries, perCall = SpeedShapes.GloveEntriesPerCall;
        const float xMax = 100f, alpha = 0.75f, eta = 0.05f, gradClip = 100f;
        var operands = new Operands();
        // GloVe initializes rows uniformly in ±0.5/dim.
        NativeMatrix w = operands.Matrix(rows, dim, 0.5f / dim, salt: 1), c = operands.Matrix(rows, dim, 0.5f / dim, salt: 2);
        NativeMatrix gradSqW = operands.Own(BenchmarkData.Ones(rows, dim)), gradSqC = operands.Own(BenchmarkData.Ones(rows, dim));
        var biasW = new float[rows];
        var biasC = new float[rows];
        float[] gradSqBiasW = [.. Enumerable.Repeat(1f, rows)], gradSqBiasC = [.. Enumerable.Repeat(1f, rows)];
        (int[] word, int[] context, float[] x) = BenchmarkData.CooccurrenceEntries(entries, rows);
        int next = 0;
        return SpeedCase.Of<GloveFn>("GloveUpdate", $"{perCall} entries, d={dim}", Work.Flops(16.0 * dim * perCall),
            (GloveUpdateKernel.Scalar, GloveUpdateKernel.Avx2, GloveUpdateKernel.Avx512),
            step => () =>
            {
                float cost = 0f;
                for (int k = 0; k < perCall; k++)
                {
                    int e = next++ & (entries - 1), i = word[e], j = context[e];
                    cost += step(w.RowPointer(i), c.RowPointer(j), gradSqW.RowPointer(i), gradSqC.RowPointer(j), ref biasW[i], ref biasC[j],
                        ref gradSqBiasW[i], ref gradSqBiasC[j], dim, x[e], xMax, alpha, eta, gradClip);
                }
                Sink.Result = cost;
            },
            operands);
    }
}
