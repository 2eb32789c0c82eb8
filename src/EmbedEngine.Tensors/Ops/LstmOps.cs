using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>A whole LSTM layer over time-major sequences, on the fused kernels.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// One LSTM layer over x [T, B, I] (time-major), with PyTorch's weights W_ih [4H, I] and W_hh [4H, H], gates in
    /// its order i, f, g, o, one bias [4H] (its b_ih + b_hh), and initial states h₀, c₀ [B, H] (null: zeros), read
    /// before the call returns. Returns the hidden state of every step, [T, B, H]; the last step's is h_T. When
    /// <paramref name="finalCell"/> is given ([B, H], contiguous), c_T is copied into it as a constant: no gradient
    /// flows back through it, which is what carrying states between sequences (generation, truncated
    /// backpropagation) needs. See <see cref="LstmLayerKernel"/>.
    /// </summary>
    public static Tensor Lstm(Tensor x, Tensor inputWeights, Tensor recurrentWeights, Tensor bias, Tensor? initialHidden = null, Tensor? initialCell = null,
        Tensor? finalCell = null)
    {
        if (x.Rank != 3) throw new ArgumentException($"Lstm: x must be [steps, batch, inputs]; got {x.Shape}.");
        int steps = x.Shape[0], batch = x.Shape[1], inputs = x.Shape[2], gates = inputWeights.Shape[0], hidden = gates / 4;
        if (inputWeights.Rank != 2 || gates % 4 != 0 || inputWeights.Shape[1] != inputs)
            throw new ArgumentException($"Lstm: W_ih must be [4H, {inputs}]; got {inputWeights.Shape}.");
        if (recurrentWeights.Shape != new Shape(gates, hidden)) throw new ArgumentException($"Lstm: W_hh must be [{gates}, {hidden}]; got {recurrentWeights.Shape}.");
        if (bias.Shape != new Shape(gates)) throw new ArgumentException($"Lstm: the bias must be [{gates}]; got {bias.Shape}.");
        var state = new Shape(batch, hidden);
        if ((initialHidden != null && initialHidden.Shape != state) || (initialCell != null && initialCell.Shape != state))
            throw new ArgumentException($"Lstm: initial states must be [{batch}, {hidden}]; got {initialHidden?.Shape} and {initialCell?.Shape}.");
        if (finalCell != null && (finalCell.Shape != state || !finalCell.IsContiguous))
            throw new ArgumentException($"Lstm: the final cell must be a contiguous [{batch}, {hidden}]; got {finalCell.Shape}.");
        if (finalCell != null && steps == 0) throw new ArgumentException("Lstm: a sequence of no steps has no final cell.");
        Graph graph = Graph.Current;
        var shape = new LstmLayerShape(steps, batch, inputs, hidden);
        Tensor input = x.Contiguous(), wi = inputWeights.Contiguous(), wh = recurrentWeights.Contiguous(), b = bias.Contiguous();
        // Everything the backward step reads beyond the inputs, in one tensor so that recording allocates nothing.
        Tensor workspace = graph.NewTensor(new Shape(LstmWorkspace.Length(shape)), zero: false);
        var saved = new LstmWorkspace(shape, workspace);
        CopyOrClear(initialHidden, saved.InitialHidden);
        CopyOrClear(initialCell, saved.InitialCell);
        Tensor output = graph.NewTensor(new Shape(steps, batch, hidden), zero: false);
        LstmLayerKernel.Forward(shape, input.AsSpan(), wi.AsSpan(), wh.AsSpan(), b.AsSpan(), saved.InitialHidden, saved.InitialCell,
            saved.Gates, saved.Cells, saved.TanhCells, output.AsSpan(), TensorSettings.Threads);
        if (finalCell != null) saved.Cells[^(batch * hidden)..].CopyTo(finalCell.AsSpan());
        bool statesLearn = initialHidden is { RequiresGrad: true } || initialCell is { RequiresGrad: true };
        if (graph.NeedsGrad(input, wi, wh) || graph.NeedsGrad(b) || statesLearn)
            graph.Record(new TapeEntry
            {
                Backward = &LstmBackward, Output = output, A = input, B = wi, C = wh, Saved = b, Saved2 = workspace,
                Context = statesLearn ? new LstmInitialStates(initialHidden, initialCell) : null,
            });
        return output;
    }

    private static void CopyOrClear(Tensor? source, Span<float> destination)
    {
        if (source == null) destination.Clear();
        else source.CopyTo(destination);
    }

    /// <summary>Initial states that take a gradient (rare: states are usually zeros or carried constants).</summary>
    private sealed record LstmInitialStates(Tensor? Hidden, Tensor? Cell);

    /// <summary>The saved activations of one LSTM call, laid out in one flat tensor: gates, cells, tanh cells, h₀, c₀.</summary>
    private readonly ref struct LstmWorkspace
    {
        public LstmWorkspace(in LstmLayerShape shape, Tensor workspace)
        {
            Span<float> all = workspace.AsSpan();
            int gates = shape.Rows * shape.Gates, states = shape.Rows * shape.Hidden, initial = shape.Batch * shape.Hidden;
            Gates = all[..gates];
            Cells = all.Slice(gates, states);
            TanhCells = all.Slice(gates + states, states);
            InitialHidden = all.Slice(gates + 2 * states, initial);
            InitialCell = all.Slice(gates + 2 * states + initial, initial);
        }

        public static int Length(in LstmLayerShape shape) =>
            checked(shape.Rows * shape.Gates + 2 * shape.Rows * shape.Hidden + 2 * shape.Batch * shape.Hidden);

        public Span<float> Gates { get; }
        public Span<float> Cells { get; }
        public Span<float> TanhCells { get; }
        public Span<float> InitialHidden { get; }
        public Span<float> InitialCell { get; }
    }

    private static void LstmBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor x = entry.A!, wi = entry.B!, wh = entry.C!, bias = entry.Saved!, output = entry.Output;
        var shape = new LstmLayerShape(x.Shape[0], x.Shape[1], x.Shape[2], wh.Shape[1]);
        var saved = new LstmWorkspace(shape, entry.Saved2!);
        var states = (LstmInitialStates?)entry.Context;
        // Weight and bias gradients are added into by the kernel; anything not wanted goes to zeroed scratch.
        Tensor Accumulator(Tensor t) => t.RequiresGrad ? graph.GradOf(t) : graph.NewTensor(t.Shape, zero: true);
        Tensor Sink(Tensor? t, in Shape fallback) => t is { RequiresGrad: true } ? graph.GradientSink(t) : graph.NewTensor(fallback, zero: false);
        var stateShape = new Shape(shape.Batch, shape.Hidden);
        Tensor dx = Sink(x, x.Shape), dh0 = Sink(states?.Hidden, stateShape), dc0 = Sink(states?.Cell, stateShape);
        Tensor gateGrads = graph.NewTensor(new Shape(shape.Rows, shape.Gates), zero: false);
        LstmLayerKernel.Backward(shape, x.AsSpan(), wi.AsSpan(), wh.AsSpan(), saved.InitialHidden, saved.InitialCell,
            saved.Gates, saved.Cells, saved.TanhCells, output.AsSpan(), output.Grad!.AsSpan(), [], [],
            gateGrads.AsSpan(), dx.AsSpan(), Accumulator(wi).AsSpan(), Accumulator(wh).AsSpan(), Accumulator(bias).AsSpan(),
            dh0.AsSpan(), dc0.AsSpan(), TensorSettings.Threads);
        if (x.RequiresGrad) Graph.Accumulate(x, dx);
        if (states?.Hidden is { RequiresGrad: true } h0) Graph.Accumulate(h0, dh0);
        if (states?.Cell is { RequiresGrad: true } c0) Graph.Accumulate(c0, dc0);
    }
}
