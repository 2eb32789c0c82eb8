using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Kernels.Dense;

/// <summary>The sizes of one LSTM layer over a batch of sequences, time-major: step t of sequence b is row t·Batch + b.</summary>
/// <param name="Steps">T, the sequence length.</param>
/// <param name="Batch">B, sequences side by side.</param>
/// <param name="Inputs">I, features per input row.</param>
/// <param name="Hidden">H, the cell and hidden size; the gates are 4H wide.</param>
/// <param name="Projection">P, the width h is projected to (LSTMP, as ELMo's layers and PyTorch's proj_size), or 0 for none.</param>
public readonly record struct LstmLayerShape(int Steps, int Batch, int Inputs, int Hidden, int Projection = 0)
{
    /// <summary>R, the width of the state fed back and output each step: P with a projection, H without.</summary>
    public int Recurrent => Projection > 0 ? Projection : Hidden;

    /// <summary>T·B rows.</summary>
    public int Rows => Steps * Batch;

    /// <summary>4H gate pre-activations per row.</summary>
    public int Gates => 4 * Hidden;

    /// <summary>Throws unless every size is non-negative.</summary>
    public void Check()
    {
        if (Steps < 0 || Batch < 0 || Inputs < 0 || Hidden < 0 || Projection < 0)
            throw new ArgumentException($"LSTM sizes must be non-negative: steps {Steps}, batch {Batch}, inputs {Inputs}, hidden {Hidden}, projection {Projection}.");
    }
}

/// <summary>
/// The projection of an LSTMP layer (<see cref="LstmLayerShape.Projection"/>): r = W_hr·h is what each step feeds back
/// and outputs. Forward reads <see cref="Weights"/> and writes <see cref="Outputs"/>; backward also adds into
/// <see cref="WeightGrads"/> and uses the two scratch buffers.
/// </summary>
/// <param name="Weights">W_hr [P × H].</param>
/// <param name="Outputs">r of every step [T·B × P]: the layer's output (forward writes it, backward reads it).</param>
/// <param name="WeightGrads">dL/dW_hr [P × H], added to by backward.</param>
/// <param name="OutputGrads">Scratch [T·B × P] for backward: dL/dr of every step, output's and recurrence's.</param>
/// <param name="StepHiddenGrad">Scratch [B × H] for backward: dL/dh of the step being undone.</param>
public readonly ref struct LstmProjection(ReadOnlySpan<float> Weights, Span<float> Outputs, Span<float> WeightGrads = default,
    Span<float> OutputGrads = default, Span<float> StepHiddenGrad = default)
{
    /// <summary>W_hr [P × H].</summary>
    public ReadOnlySpan<float> Weights { get; } = Weights;
    /// <summary>r of every step [T·B × P].</summary>
    public Span<float> Outputs { get; } = Outputs;
    /// <summary>dL/dW_hr [P × H], added to by backward.</summary>
    public Span<float> WeightGrads { get; } = WeightGrads;
    /// <summary>Scratch [T·B × P] for backward.</summary>
    public Span<float> OutputGrads { get; } = OutputGrads;
    /// <summary>Scratch [B × H] for backward.</summary>
    public Span<float> StepHiddenGrad { get; } = StepHiddenGrad;
}

/// <summary>
/// One LSTM layer over whole sequences, as oneDNN and cuDNN lay it out: the input projection of every step is one
/// GEMM (with the bias added as it writes), then each step adds one GEMM of the recurrent weights (packed once per
/// call) and runs the fused <see cref="LstmCellKernel"/>, and with a projection (LSTMP) one GEMM from h to r. Backward
/// through time runs the cell's backward step and one GEMM into the previous state per step (two with a
/// projection), then the weight gradients of all steps as single GEMMs (dW_ih over T·B rows, dW_hh over (T − 1)·B
/// rows plus the first step against h₀, dW_hr over T·B rows), never T small ones. Weights are PyTorch's [4H × I],
/// [4H × R] and [P × H] with gates in its order i, f, g, o; the one bias is PyTorch's b_ih + b_hh. Weights are
/// packed once per call, forward and backward, into buffers each thread keeps for its next call of the same sizes,
/// so that training steps allocate nothing. R is the state width: P with a projection, H without.
/// </summary>
public static unsafe class LstmLayerKernel
{
    [ThreadStatic] private static PackedB? _forwardPack, _backwardPack, _projectionPack, _projectionBackwardPack;

    /// <summary>Runs the layer forward; every output buffer is written.</summary>
    /// <param name="shape">The sizes (without a projection; see the overload with an <see cref="LstmProjection"/>).</param>
    /// <param name="x">Inputs [T·B × I].</param>
    /// <param name="inputWeights">W_ih [4H × I].</param>
    /// <param name="recurrentWeights">W_hh [4H × H].</param>
    /// <param name="bias">[4H].</param>
    /// <param name="initialHidden">h₀ [B × H].</param>
    /// <param name="initialCell">c₀ [B × H].</param>
    /// <param name="gates">[T·B × 4H], written: the activated gates (the backward pass reads them).</param>
    /// <param name="cells">[T·B × H], written: c of every step.</param>
    /// <param name="tanhCells">[T·B × H], written: tanh c of every step.</param>
    /// <param name="hiddens">[T·B × H], written: h of every step, the layer's output.</param>
    /// <param name="threads">Threads for the GEMMs (0: every core).</param>
    public static void Forward(in LstmLayerShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> inputWeights, ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell,
        Span<float> gates, Span<float> cells, Span<float> tanhCells, Span<float> hiddens, int threads = 0)
    {
        if (shape.Projection != 0) throw new ArgumentException("A projected layer needs its LstmProjection: call the overload that takes one.");
        Forward(shape, x, inputWeights, recurrentWeights, bias, initialHidden, initialCell, gates, cells, tanhCells, hiddens, default, threads);
    }

    /// <summary>
    /// Runs the layer forward, with a projection when <paramref name="shape"/> has one: then W_hh is [4H × P], h₀ is
    /// [B × P], <paramref name="hiddens"/> receives h [T·B × H] and <paramref name="projection"/>'s outputs r, the
    /// layer's output.
    /// </summary>
    public static void Forward(in LstmLayerShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> inputWeights, ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell,
        Span<float> gates, Span<float> cells, Span<float> tanhCells, Span<float> hiddens, in LstmProjection projection, int threads = 0)
    {
        CheckShared(shape, x, inputWeights, recurrentWeights, initialHidden, initialCell, gates, cells, tanhCells, hiddens, projection.Weights);
        RowMajor.Length("bias", bias.Length, shape.Gates);
        int rows = shape.Rows, batch = shape.Batch, size = shape.Hidden, width = shape.Gates, inputs = shape.Inputs, state = shape.Recurrent;
        bool projected = shape.Projection > 0;
        if (projected) RowMajor.Length("projection outputs", projection.Outputs.Length, rows * state);
        if (rows == 0 || size == 0) return;
        fixed (float* px = x, pwi = inputWeights, pwh = recurrentWeights, pb = bias, ph0 = initialHidden, pc0 = initialCell)
        fixed (float* pg = gates, pc = cells, pt = tanhCells, ph = hiddens, pwr = projection.Weights, pr = projection.Outputs)
        {
            float* output = projected ? pr : ph;
            SgemmKernel.Multiply(false, true, rows, width, inputs, 1f, px, Math.Max(inputs, 1), pwi, Math.Max(inputs, 1), 0f, pg, width,
                threads, new GemmEpilogue(pb, relu: false));
            PackedB recurrent = Repack(ref _forwardPack, transposeB: true, state, width, pwh, state);
            PackedB? projector = projected ? Repack(ref _projectionPack, transposeB: true, size, state, pwr, size) : null;
            for (int t = 0; t < shape.Steps; t++)
            {
                nint row = (nint)t * batch;
                float* previousState = t == 0 ? ph0 : output + (row - batch) * state, previousCell = t == 0 ? pc0 : pc + (row - batch) * size;
                float* stepGates = pg + row * width;
                SgemmKernel.MultiplyPacked(false, batch, 1f, previousState, state, recurrent, 1f, stepGates, width, threads);
                LstmCellKernel.Forward(size, new Span<float>(stepGates, batch * width), new ReadOnlySpan<float>(previousCell, batch * size),
                    new Span<float>(pc + row * size, batch * size), new Span<float>(pt + row * size, batch * size),
                    new Span<float>(ph + row * size, batch * size));
                if (projector != null) SgemmKernel.MultiplyPacked(false, batch, 1f, ph + row * size, size, projector, 0f, pr + row * state, state, threads);
            }
        }
    }

    /// <summary>
    /// Backward through time from <paramref name="hiddenGrads"/> (and the final states' gradients, if any): writes the
    /// input and initial-state gradients and adds into the weight and bias gradients.
    /// </summary>
    /// <param name="shape">The sizes (without a projection; see the overload with an <see cref="LstmProjection"/>).</param>
    /// <param name="x">The forward pass's inputs [T·B × I].</param>
    /// <param name="inputWeights">W_ih [4H × I].</param>
    /// <param name="recurrentWeights">W_hh [4H × H].</param>
    /// <param name="initialHidden">h₀ [B × H].</param>
    /// <param name="initialCell">c₀ [B × H].</param>
    /// <param name="gates">The forward pass's activated gates.</param>
    /// <param name="cells">The forward pass's cells.</param>
    /// <param name="tanhCells">The forward pass's tanh c.</param>
    /// <param name="hiddens">The forward pass's outputs.</param>
    /// <param name="hiddenGrads">dL/dh of every step's output [T·B × H] (not changed).</param>
    /// <param name="finalHiddenGrad">dL/dh_T [B × H] beyond the output's, or empty for none.</param>
    /// <param name="finalCellGrad">dL/dc_T [B × H], or empty for none.</param>
    /// <param name="gateGrads">Scratch [T·B × 4H]: the gate pre-activations' gradients, left there.</param>
    /// <param name="inputGrads">dL/dx [T·B × I], written.</param>
    /// <param name="inputWeightGrads">dL/dW_ih [4H × I], added to.</param>
    /// <param name="recurrentWeightGrads">dL/dW_hh [4H × H], added to.</param>
    /// <param name="biasGrads">dL/dbias [4H], added to.</param>
    /// <param name="initialHiddenGrad">dL/dh₀ [B × H], written.</param>
    /// <param name="initialCellGrad">dL/dc₀ [B × H], written.</param>
    /// <param name="threads">Threads for the GEMMs (0: every core).</param>
    public static void Backward(in LstmLayerShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> inputWeights, ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell, ReadOnlySpan<float> gates, ReadOnlySpan<float> cells,
        ReadOnlySpan<float> tanhCells, ReadOnlySpan<float> hiddens, ReadOnlySpan<float> hiddenGrads, ReadOnlySpan<float> finalHiddenGrad,
        ReadOnlySpan<float> finalCellGrad, Span<float> gateGrads, Span<float> inputGrads, Span<float> inputWeightGrads,
        Span<float> recurrentWeightGrads, Span<float> biasGrads, Span<float> initialHiddenGrad, Span<float> initialCellGrad, int threads = 0)
    {
        if (shape.Projection != 0) throw new ArgumentException("A projected layer needs its LstmProjection: call the overload that takes one.");
        Backward(shape, x, inputWeights, recurrentWeights, initialHidden, initialCell, gates, cells, tanhCells, hiddens, hiddenGrads, finalHiddenGrad,
            finalCellGrad, gateGrads, inputGrads, inputWeightGrads, recurrentWeightGrads, biasGrads, initialHiddenGrad, initialCellGrad, default, threads);
    }

    /// <summary>
    /// Backward through time with a projection when <paramref name="shape"/> has one: then the output, final-state and
    /// initial-state gradients and W_hh are R = P wide, <paramref name="hiddens"/> is h [T·B × H] as forward wrote it,
    /// and dW_hr is added into <paramref name="projection"/>'s weight gradients.
    /// </summary>
    public static void Backward(in LstmLayerShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> inputWeights, ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell, ReadOnlySpan<float> gates, ReadOnlySpan<float> cells,
        ReadOnlySpan<float> tanhCells, ReadOnlySpan<float> hiddens, ReadOnlySpan<float> hiddenGrads, ReadOnlySpan<float> finalHiddenGrad,
        ReadOnlySpan<float> finalCellGrad, Span<float> gateGrads, Span<float> inputGrads, Span<float> inputWeightGrads,
        Span<float> recurrentWeightGrads, Span<float> biasGrads, Span<float> initialHiddenGrad, Span<float> initialCellGrad, in LstmProjection projection,
        int threads = 0)
    {
        CheckShared(shape, x, inputWeights, recurrentWeights, initialHidden, initialCell, gates, cells, tanhCells, hiddens, projection.Weights);
        int rows = shape.Rows, batch = shape.Batch, size = shape.Hidden, width = shape.Gates, inputs = shape.Inputs, state = shape.Recurrent;
        bool projected = shape.Projection > 0;
        RowMajor.Length("hiddenGrads", hiddenGrads.Length, rows * state);
        if (finalHiddenGrad.Length != 0) RowMajor.Length("finalHiddenGrad", finalHiddenGrad.Length, batch * state);
        if (finalCellGrad.Length != 0) RowMajor.Length("finalCellGrad", finalCellGrad.Length, batch * size);
        RowMajor.Length("gateGrads", gateGrads.Length, rows * width);
        RowMajor.Length("inputGrads", inputGrads.Length, rows * inputs);
        RowMajor.Length("inputWeightGrads", inputWeightGrads.Length, width * inputs);
        RowMajor.Length("recurrentWeightGrads", recurrentWeightGrads.Length, width * state);
        RowMajor.Length("biasGrads", biasGrads.Length, width);
        RowMajor.Length("initialHiddenGrad", initialHiddenGrad.Length, batch * state);
        RowMajor.Length("initialCellGrad", initialCellGrad.Length, batch * size);
        if (projected)
        {
            RowMajor.Length("projection outputs", projection.Outputs.Length, rows * state);
            RowMajor.Length("projection weight grads", projection.WeightGrads.Length, state * size);
            RowMajor.Length("projection output grads", projection.OutputGrads.Length, rows * state);
            RowMajor.Length("projection step hidden grad", projection.StepHiddenGrad.Length, batch * size);
        }
        // The carried dr (dh without a projection) and dc of the step being undone: start from the final states' gradients.
        Span<float> stateGrad = initialHiddenGrad, cellGrad = initialCellGrad;
        if (finalHiddenGrad.Length != 0) finalHiddenGrad.CopyTo(stateGrad);
        else stateGrad.Clear();
        if (finalCellGrad.Length != 0) finalCellGrad.CopyTo(cellGrad);
        else cellGrad.Clear();
        if (rows == 0 || size == 0)
        {
            inputGrads.Clear();
            return;
        }
        fixed (float* px = x, pwi = inputWeights, pwh = recurrentWeights, ph0 = initialHidden, pc0 = initialCell, pg = gates)
        fixed (float* pc = cells, pt = tanhCells, ph = hiddens, pdy = hiddenGrads, pdg = gateGrads, pdx = inputGrads)
        fixed (float* pdwi = inputWeightGrads, pdwh = recurrentWeightGrads, pds = stateGrad)
        fixed (float* pwr = projection.Weights, pr = projection.Outputs, pdwr = projection.WeightGrads, pdr = projection.OutputGrads, pdh = projection.StepHiddenGrad)
        {
            PackedB recurrent = Repack(ref _backwardPack, transposeB: false, width, state, pwh, state);
            PackedB? projector = projected ? Repack(ref _projectionBackwardPack, transposeB: false, state, size, pwr, size) : null;
            Span<float> hiddenGrad = projected ? new Span<float>(pdh, batch * size) : stateGrad;
            for (int t = shape.Steps - 1; t >= 0; t--)
            {
                nint row = (nint)t * batch;
                // dr of this step: what flowed back from step t + 1 plus the output's own gradient.
                AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(pdy + row * state, batch * state), stateGrad);
                if (projector != null)
                {
                    // Kept for dW_hr; dh = dr · W_hr.
                    stateGrad.CopyTo(new Span<float>(pdr + row * state, batch * state));
                    SgemmKernel.MultiplyPacked(false, batch, 1f, pds, state, projector, 0f, pdh, size, threads);
                }
                float* previousCell = t == 0 ? pc0 : pc + (row - batch) * size;
                LstmCellKernel.Backward(size, new ReadOnlySpan<float>(pg + row * width, batch * width), new ReadOnlySpan<float>(previousCell, batch * size),
                    new ReadOnlySpan<float>(pt + row * size, batch * size), hiddenGrad, cellGrad, new Span<float>(pdg + row * width, batch * width));
                // dr₋₁ = dGates · W_hh, which replaces the carried dr.
                SgemmKernel.MultiplyPacked(false, batch, 1f, pdg + row * width, width, recurrent, 0f, pds, state, threads);
            }
            float* outputs = projected ? pr : ph;
            SgemmKernel.Multiply(false, false, rows, inputs, width, 1f, pdg, width, pwi, Math.Max(inputs, 1), 0f, pdx, Math.Max(inputs, 1), threads);
            SgemmKernel.Multiply(true, false, width, inputs, rows, 1f, pdg, width, px, Math.Max(inputs, 1), 1f, pdwi, Math.Max(inputs, 1), threads);
            SgemmKernel.Multiply(true, false, width, state, batch, 1f, pdg, width, ph0, state, 1f, pdwh, state, threads);
            if (shape.Steps > 1)
                SgemmKernel.Multiply(true, false, width, state, rows - batch, 1f, pdg + (nint)batch * width, width, outputs, state, 1f, pdwh, state, threads);
            if (projected) SgemmKernel.Multiply(true, false, state, size, rows, 1f, pdr, state, ph, size, 1f, pdwr, size, threads);
        }
        ReductionKernel.AddColumnSums(gateGrads, biasGrads);
    }

    /// <summary>Packs into this thread's buffer <paramref name="slot"/>, replacing (and freeing) it when the sizes changed.</summary>
    private static PackedB Repack(ref PackedB? slot, bool transposeB, int k, int n, float* b, int ldb)
    {
        PackedB packed = SgemmKernel.PackB(transposeB, k, n, b, ldb, slot);
        if (!ReferenceEquals(packed, slot))
        {
            slot?.Dispose();
            slot = packed;
        }
        return packed;
    }

    private static void CheckShared(in LstmLayerShape shape, ReadOnlySpan<float> x, ReadOnlySpan<float> inputWeights, ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell, ReadOnlySpan<float> gates, ReadOnlySpan<float> cells,
        ReadOnlySpan<float> tanhCells, ReadOnlySpan<float> hiddens, ReadOnlySpan<float> projectionWeights)
    {
        shape.Check();
        int rows = shape.Rows, size = shape.Hidden, width = shape.Gates, state = shape.Recurrent;
        RowMajor.Length("x", x.Length, rows * shape.Inputs);
        RowMajor.Length("inputWeights", inputWeights.Length, width * shape.Inputs);
        RowMajor.Length("recurrentWeights", recurrentWeights.Length, width * state);
        RowMajor.Length("initialHidden", initialHidden.Length, shape.Batch * state);
        RowMajor.Length("initialCell", initialCell.Length, shape.Batch * size);
        RowMajor.Length("gates", gates.Length, rows * width);
        RowMajor.Length("cells", cells.Length, rows * size);
        RowMajor.Length("tanhCells", tanhCells.Length, rows * size);
        RowMajor.Length("hiddens", hiddens.Length, rows * size);
        RowMajor.Length("projection weights", projectionWeights.Length, shape.Projection * size);
    }
}
