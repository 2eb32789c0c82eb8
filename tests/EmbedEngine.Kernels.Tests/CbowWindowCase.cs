using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using ILGPU;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// One window of CBOW or fastText as the CPU trainers compose it from their kernels, which is <see cref="CbowGpu"/>'s
/// contract: h = mean of a bag of input rows (repeats allowed, as hashed subwords repeat); for each of one to three
/// predictions, a logistic step over the true word and its negatives (repeats allowed), then rowsGrad += grad and
/// h += shift·grad (shift 1, or above 1 as for a word whose subwords repeat); finally rowsGrad added to every bag row.
/// The reference is that sequence of scalar kernels; each CPU variant runs the same sequence of its own kernels.
/// One window runs in one group, so the GPU's order is the reference's but for its dot products (summed across
/// threads) and its atomic adds of a repeated bag row (each adds the same rowsGrad, so any order gives the same sum).
/// Tolerances replay the steps (<see cref="LogisticReplay"/>), carrying h's and rowsGrad's bounds along.
/// </summary>
internal static unsafe class CbowWindowCase
{
    public static Problem Build(Shape s, SigmoidMode mode)
    {
        int dim = s.Length, inRows = 1 + s.Rng.Next(10), outRows = 1 + s.Rng.Next(10);
        int strideI = s.Stride(), strideO = s.Stride();
        float[] input = s.Matrix(inRows, strideI), output = s.Matrix(outRows, strideO);
        int[] bag = s.Indices(1 + s.Rng.Next(8), inRows);
        var targets = new int[1 + s.Rng.Next(3)][];
        for (int p = 0; p < targets.Length; p++) targets[p] = s.Indices(1 + s.Rng.Next(6), outRows);
        float shift = s.Rng.Next(2) == 0 ? 1f : 1f + (float)s.Rng.NextDouble();

        float[] hidden = Mean(input, strideI, bag, dim);
        if (s.Values == Values.Large) KernelCases.PlaceScoresAtSaturation(s, hidden, output, strideO, targets[0]);

        var replay = new LogisticReplay(output);
        double[] h = Array.ConvertAll(hidden, v => (double)v), tolH = new double[dim];
        double[] rowsGrad = new double[dim], tolRowsGrad = new double[dim];
        for (int c = 0; c < dim; c++)
        {
            double abs = 0;
            foreach (int r in bag) abs += Math.Abs(input[r * strideI + c]);
            tolH[c] = Bounds.Sum(bag.Length + 1, abs / bag.Length);
        }
        foreach (int[] prediction in targets)
        {
            double[] grad = new double[dim], tolGrad = new double[dim];
            replay.Step(h, tolH, strideO, prediction, Labels(prediction.Length), mode, KernelCases.LearningRate, grad, tolGrad);
            for (int c = 0; c < dim; c++)
            {
                tolRowsGrad[c] += tolGrad[c] + Bounds.Sum(2, Math.Abs(rowsGrad[c]) + Math.Abs(grad[c]));
                rowsGrad[c] += grad[c];
                tolH[c] += shift * tolGrad[c] + Bounds.Sum(2, Math.Abs(h[c]) + Math.Abs(shift * grad[c]));
                h[c] += shift * grad[c];
            }
        }
        var tolInput = new double[input.Length];
        foreach (int r in bag)
            for (int c = 0; c < dim; c++)
                tolInput[r * strideI + c] += tolRowsGrad[c] + Bounds.Sum(2, Math.Abs(input[r * strideI + c]) + Math.Abs(rowsGrad[c]));

        var problem = new Problem { ResultTolerance = replay.ResultTolerance };
        int hi = problem.Add("input", input, KernelCases.ToTolerance(tolInput));
        int ho = problem.Add("output", output, KernelCases.ToTolerance(replay.RowTolerance));
        problem.Run = (isa, m) => Reference(isa, m.Pointer(hi), strideI, m.Pointer(ho), strideO, dim, bag, targets, shift, mode);
        problem.Gpu = d =>
        {
            ArrayView<float> loss = d.Sum();
            int[] predictionIds = [.. Enumerable.Range(0, targets.Length)];
            CbowGpu.Update(d.Device, new DeviceMatrix(d.View(hi), strideI), new DeviceMatrix(d.View(ho), strideO),
                d.Lists(bag), d.Lists(predictionIds), d.Lists(targets), d.Upload(shift), dim, KernelCases.LearningRate, mode, loss,
                GpuTestDevice.ThreadsPerGroup);
            return d.Read(loss);
        };
        return problem;
    }

    /// <summary>The CPU trainers' sequence (FastTextWorker's skip-gram step) with <paramref name="isa"/>'s kernels.</summary>
    private static float Reference(Variant isa, float* input, int strideI, float* output, int strideO, int dim, int[] bag,
        int[][] targets, float shift, SigmoidMode mode)
    {
        var hidden = new float[dim];
        var rowsGrad = new float[dim];
        var grad = new float[dim];
        KernelCases.Pick<AverageFn>(isa, CbowKernel.Average, CbowKernel.AverageScalar, CbowKernel.AverageAvx2,
            CbowKernel.AverageAvx512)(input, strideI, bag, hidden);
        AxpyFn axpy = KernelCases.Pick<AxpyFn>(isa, AxpyKernel.Axpy, AxpyKernel.Scalar, AxpyKernel.Avx2, AxpyKernel.Avx512);
        float loss = 0f;
        foreach (int[] prediction in targets)
        {
            Array.Clear(grad);
            loss += KernelCases.Pick<LogisticFn>(isa, LogisticUpdateKernel.Update, LogisticUpdateKernel.Scalar,
                LogisticUpdateKernel.Avx2, LogisticUpdateKernel.Avx512)(
                hidden, new OutputRows(output, strideO), prediction, Labels(prediction.Length), KernelCases.LearningRate, grad, mode);
            axpy(1f, grad, rowsGrad);
            axpy(shift, grad, hidden);
        }
        KernelCases.Pick<ScatterFn>(isa, CbowKernel.Scatter, CbowKernel.ScatterScalar, CbowKernel.ScatterAvx2,
            CbowKernel.ScatterAvx512)(input, strideI, bag, rowsGrad);
        return loss;
    }

    /// <summary>The true word, then negatives.</summary>
    private static float[] Labels(int count)
    {
        var labels = new float[count];
        labels[0] = 1f;
        return labels;
    }

    /// <summary>The bag's mean as <see cref="CbowKernel.AverageScalar"/> forms it (row by row, then one scaling).</summary>
    private static float[] Mean(float[] matrix, int stride, int[] rows, int dim)
    {
        var mean = new float[dim];
        foreach (int r in rows)
            for (int c = 0; c < dim; c++) mean[c] += matrix[r * stride + c];
        float inverse = 1f / rows.Length;
        for (int c = 0; c < dim; c++) mean[c] *= inverse;
        return mean;
    }
}
