using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// The projection of an LSTMP layer on the device (<see cref="LstmProjection"/>'s twin): W_hr [P × H], r of every step
/// [T·B × P], and for backward dL/dW_hr (added to) and the scratch dr [T·B × P] and dh [B × H]. Default: no projection.
/// </summary>
public readonly record struct LstmGpuProjection(ArrayView<float> Weights, ArrayView<float> Outputs, ArrayView<float> WeightGrads = default,
    ArrayView<float> OutputGrads = default, ArrayView<float> StepHiddenGrad = default);

/// <summary>
/// <see cref="LstmLayerKernel"/>'s twin on device views, step for step the same algorithm: the input projection of
/// all steps as one GEMM (the bias added after it), then per step one GEMM of the recurrent weights, the fused
/// <see cref="LstmCellGpu"/> step and, for an LSTMP, one GEMM into r; backward through time the same way, with the
/// weight gradients of all steps as single GEMMs. Every launch is queued on the device's stream, so the steps run in
/// order without waiting on the host. Same buffers, sizes and checks as the CPU layer.
/// </summary>
public static class LstmLayerGpu
{
    /// <summary>Runs the layer forward on <paramref name="device"/>; every output view is written. Returns once queued.</summary>
    public static void Forward(GpuDevice device, in LstmLayerShape shape, ArrayView<float> x, ArrayView<float> inputWeights,
        ArrayView<float> recurrentWeights, ArrayView<float> bias, ArrayView<float> initialHidden, ArrayView<float> initialCell,
        ArrayView<float> gates, ArrayView<float> cells, ArrayView<float> tanhCells, ArrayView<float> hiddens, in LstmGpuProjection projection)
    {
        CheckShared(shape, x, inputWeights, recurrentWeights, initialHidden, initialCell, gates, cells, tanhCells, hiddens, projection);
        RowMajor.Length("bias", DeviceViews.Length(bias, "bias"), shape.Gates);
        int rows = shape.Rows, batch = shape.Batch, size = shape.Hidden, width = shape.Gates, inputs = shape.Inputs, state = shape.Recurrent;
        bool projected = shape.Projection > 0;
        if (projected) RowMajor.Length("projection outputs", DeviceViews.Length(projection.Outputs, "projection outputs"), rows * state);
        if (rows == 0 || size == 0) return;
        ArrayView<float> outputs = projected ? projection.Outputs : hiddens;
        GemmGpu.Multiply(device, false, true, rows, width, inputs, 1f, x, Math.Max(inputs, 1), inputWeights, Math.Max(inputs, 1), 0f, gates, width);
        BiasGpu.AddToRows(device, bias, gates);
        for (int t = 0; t < shape.Steps; t++)
        {
            long row = (long)t * batch;
            ArrayView<float> previousState = t == 0 ? initialHidden : outputs.SubView((row - batch) * state, batch * state);
            ArrayView<float> previousCell = t == 0 ? initialCell : cells.SubView((row - batch) * size, batch * size);
            ArrayView<float> stepGates = gates.SubView(row * width, batch * width), stepHidden = hiddens.SubView(row * size, batch * size);
            GemmGpu.Multiply(device, false, true, batch, width, state, 1f, previousState, state, recurrentWeights, state, 1f, stepGates, width);
            LstmCellGpu.Forward(device, size, stepGates, previousCell, cells.SubView(row * size, batch * size), tanhCells.SubView(row * size, batch * size),
                stepHidden);
            if (projected)
                GemmGpu.Multiply(device, false, true, batch, state, size, 1f, stepHidden, size, projection.Weights, size, 0f,
                    projection.Outputs.SubView(row * state, batch * state), state);
        }
    }

    /// <summary>
    /// Backward through time on <paramref name="device"/> from <paramref name="hiddenGrads"/> (and the final states'
    /// gradients, empty views for none): writes the input and initial-state gradients and adds into the weight and
    /// bias gradients, as <see cref="LstmLayerKernel.Backward(in LstmLayerShape, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, in LstmProjection, int)"/>
    /// does. Returns once queued.
    /// </summary>
    public static void Backward(GpuDevice device, in LstmLayerShape shape, ArrayView<float> x, ArrayView<float> inputWeights,
        ArrayView<float> recurrentWeights, ArrayView<float> initialHidden, ArrayView<float> initialCell, ArrayView<float> gates,
        ArrayView<float> cells, ArrayView<float> tanhCells, ArrayView<float> hiddens, ArrayView<float> hiddenGrads, ArrayView<float> finalHiddenGrad,
        ArrayView<float> finalCellGrad, ArrayView<float> gateGrads, ArrayView<float> inputGrads, ArrayView<float> inputWeightGrads,
        ArrayView<float> recurrentWeightGrads, ArrayView<float> biasGrads, ArrayView<float> initialHiddenGrad, ArrayView<float> initialCellGrad,
        in LstmGpuProjection projection)
    {
        CheckShared(shape, x, inputWeights, recurrentWeights, initialHidden, initialCell, gates, cells, tanhCells, hiddens, projection);
        int rows = shape.Rows, batch = shape.Batch, size = shape.Hidden, width = shape.Gates, inputs = shape.Inputs, state = shape.Recurrent;
        bool projected = shape.Projection > 0;
        Expect(hiddenGrads, "hiddenGrads", rows * state);
        if (finalHiddenGrad.Length != 0) Expect(finalHiddenGrad, "finalHiddenGrad", batch * state);
        if (finalCellGrad.Length != 0) Expect(finalCellGrad, "finalCellGrad", batch * size);
        Expect(gateGrads, "gateGrads", rows * width);
        Expect(inputGrads, "inputGrads", rows * inputs);
        Expect(inputWeightGrads, "inputWeightGrads", width * inputs);
        Expect(recurrentWeightGrads, "recurrentWeightGrads", width * state);
        Expect(biasGrads, "biasGrads", width);
        Expect(initialHiddenGrad, "initialHiddenGrad", batch * state);
        Expect(initialCellGrad, "initialCellGrad", batch * size);
        if (projected)
        {
            Expect(projection.Outputs, "projection outputs", rows * state);
            Expect(projection.WeightGrads, "projection weight grads", state * size);
            Expect(projection.OutputGrads, "projection output grads", rows * state);
            Expect(projection.StepHiddenGrad, "projection step hidden grad", batch * size);
        }
        // The carried dr (dh without a projection) and dc of the step being undone: start from the final states' gradients.
        ArrayView<float> stateGrad = initialHiddenGrad, cellGrad = initialCellGrad;
        CopyOrClear(finalHiddenGrad, stateGrad);
        CopyOrClear(finalCellGrad, cellGrad);
        if (rows == 0 || size == 0)
        {
            if (inputGrads.Length > 0) inputGrads.MemSetToZero();
            return;
        }
        ArrayView<float> hiddenGrad = projected ? projection.StepHiddenGrad : stateGrad;
        for (int t = shape.Steps - 1; t >= 0; t--)
        {
            long row = (long)t * batch;
            // dr of this step: what flowed back from step t + 1 plus the output's own gradient.
            AxpyGpu.Axpy(device, 1f, hiddenGrads.SubView(row * state, batch * state), stateGrad);
            if (projected)
            {
                // Kept for dW_hr; dh = dr · W_hr.
                stateGrad.CopyTo(projection.OutputGrads.SubView(row * state, batch * state));
                GemmGpu.Multiply(device, false, false, batch, size, state, 1f, stateGrad, state, projection.Weights, size, 0f, hiddenGrad, size);
            }
            ArrayView<float> previousCell = t == 0 ? initialCell : cells.SubView((row - batch) * size, batch * size);
            ArrayView<float> stepGateGrads = gateGrads.SubView(row * width, batch * width);
            LstmCellGpu.Backward(device, size, gates.SubView(row * width, batch * width), previousCell, tanhCells.SubView(row * size, batch * size),
                hiddenGrad, cellGrad, stepGateGrads);
            // dr₋₁ = dGates · W_hh, which replaces the carried dr.
            GemmGpu.Multiply(device, false, false, batch, state, width, 1f, stepGateGrads, width, recurrentWeights, state, 0f, stateGrad, state);
        }
        ArrayView<float> outputs = projected ? projection.Outputs : hiddens;
        int ldInputs = Math.Max(inputs, 1);
        GemmGpu.Multiply(device, false, false, rows, inputs, width, 1f, gateGrads, width, inputWeights, ldInputs, 0f, inputGrads, ldInputs);
        GemmGpu.Multiply(device, true, false, width, inputs, rows, 1f, gateGrads, width, x, ldInputs, 1f, inputWeightGrads, ldInputs);
        GemmGpu.Multiply(device, true, false, width, state, batch, 1f, gateGrads, width, initialHidden, state, 1f, recurrentWeightGrads, state);
        if (shape.Steps > 1)
            GemmGpu.Multiply(device, true, false, width, state, rows - batch, 1f, gateGrads.SubView((long)batch * width), width, outputs, state, 1f,
                recurrentWeightGrads, state);
        if (projected)
            GemmGpu.Multiply(device, true, false, state, size, rows, 1f, projection.OutputGrads, state, hiddens, size, 1f, projection.WeightGrads, size);
        BiasGpu.AddColumnSums(device, gateGrads, biasGrads);
    }

    private static void CopyOrClear(ArrayView<float> source, ArrayView<float> destination)
    {
        if (source.Length != 0) source.CopyTo(destination);
        else if (destination.Length != 0) destination.MemSetToZero();
    }

    private static void Expect(ArrayView<float> view, string name, int length) => RowMajor.Length(name, DeviceViews.Length(view, name), length);

    private static void CheckShared(in LstmLayerShape shape, ArrayView<float> x, ArrayView<float> inputWeights, ArrayView<float> recurrentWeights,
        ArrayView<float> initialHidden, ArrayView<float> initialCell, ArrayView<float> gates, ArrayView<float> cells, ArrayView<float> tanhCells,
        ArrayView<float> hiddens, in LstmGpuProjection projection)
    {
        shape.Check();
        int rows = shape.Rows, size = shape.Hidden, width = shape.Gates, state = shape.Recurrent;
        Expect(x, "x", rows * shape.Inputs);
        Expect(inputWeights, "inputWeights", width * shape.Inputs);
        Expect(recurrentWeights, "recurrentWeights", width * state);
        Expect(initialHidden, "initialHidden", shape.Batch * state);
        Expect(initialCell, "initialCell", shape.Batch * size);
        Expect(gates, "gates", rows * width);
        Expect(cells, "cells", rows * size);
        Expect(tanhCells, "tanhCells", rows * size);
        Expect(hiddens, "hiddens", rows * size);
        Expect(projection.Weights, "projection weights", shape.Projection * size);
    }
}
