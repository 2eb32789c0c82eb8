using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>A whole LSTM layer over time-major sequences, on the fused kernels.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// One LSTM layer over x [T, B, I] (time-major), with PyTorch's weights W_ih [4H, I] and W_hh [4H, H], gates in
    /// its order i, f, g, o, one bias [4H] (its b_ih + b_hh), and initial states h₀, c₀ [B, H] (null: zeros). Returns
    /// the hidden state of every step, [T, B, H]; the last step's is h_T. When <paramref name="finalCell"/> is given
    /// ([B, H], contiguous), c_T is copied into it as a constant: no gradient flows back through it, which is what
    /// carrying states between sequences (generation, truncated backpropagation) needs. See <see cref="LstmLayerKernel"/>.
    /// </summary>
    public static Tensor Lstm(Tensor x, Tensor inputWeights, Tensor recurrentWeights, Tensor bias, Tensor? initialHidden = null, Tensor? initialCell = null,
        Tensor? finalCell = null)
    {
        if (x.Rank != 3) throw new ArgumentException($"Lstm: x must be [steps, batch, inputs]; got {x.Shape}.");
        int steps = x.Shape[0], batch = x.Shape[1], inputs = x.Shape[2], gates = inputWeights.Shape[0], hidden = gates / 4;
        var shape = new LstmLayerShape(steps, batch, inputs, hidden);
        if (inputWeights.Rank != 2 || gates % 4 != 0 || inputWeights.Shape[1] != inputs)
            throw new ArgumentException($"Lstm: W_ih must be [4H, {inputs}]; got {inputWeights.Shape}.");
        if (recurrentWeights.Shape != new Shape(gates, hidden)) throw new ArgumentException($"Lstm: W_hh must be [{gates}, {hidden}]; got {recurrentWeights.Shape}.");
        if (bias.Shape != new Shape(gates)) throw new ArgumentException($"Lstm: the bias must be [{gates}]; got {bias.Shape}.");
        Graph graph = Graph.Current;
        var state = new Shape(batch, hidden);
        Tensor h0 = initialHidden?.Contiguous() ?? graph.NewTensor(state, zero: true), c0 = initialCell?.Contiguous() ?? graph.NewTensor(state, zero: true);
        if (h0.Shape != state || c0.Shape != state) throw new ArgumentException($"Lstm: initial states must be [{batch}, {hidden}]; got {h0.Shape} and {c0.Shape}.");
        if (finalCell != null && (finalCell.Shape != state || !finalCell.IsContiguous))
            throw new ArgumentException($"Lstm: the final cell must be a contiguous [{batch}, {hidden}]; got {finalCell.Shape}.");
        if (finalCell != null && steps == 0) throw new ArgumentException("Lstm: a sequence of no steps has no final cell.");
        Tensor input = x.Contiguous(), wi = inputWeights.Contiguous(), wh = recurrentWeights.Contiguous(), b = bias.Contiguous();
        Tensor savedGates = graph.NewTensor(new Shape(steps, batch, gates), zero: false);
        Tensor cells = graph.NewTensor(new Shape(steps, batch, hidden), zero: false), tanhCells = graph.NewTensor(cells.Shape, zero: false);
        Tensor output = graph.NewTensor(cells.Shape, zero: false);
        LstmLayerKernel.Forward(shape, input.AsSpan(), wi.AsSpan(), wh.AsSpan(), b.AsSpan(), h0.AsSpan(), c0.AsSpan(),
            savedGates.AsSpan(), cells.AsSpan(), tanhCells.AsSpan(), output.AsSpan(), TensorSettings.Threads);
        if (finalCell != null) cells.AsSpan().Slice((steps - 1) * batch * hidden, batch * hidden).CopyTo(finalCell.AsSpan());
        if (graph.NeedsGrad(input, wi, wh) || graph.NeedsGrad(b, h0, c0))
            graph.Record(new TapeEntry
            {
                Backward = &LstmBackward, Output = output, A = input, B = wi, C = wh,
                Context = new LstmSaved(shape, b, h0, c0, savedGates, cells, tanhCells),
            });
        return output;
    }

    /// <summary>What the LSTM's backward step reads beyond its first three inputs.</summary>
    private sealed record LstmSaved(LstmLayerShape Shape, Tensor Bias, Tensor InitialHidden, Tensor InitialCell, Tensor Gates, Tensor Cells, Tensor TanhCells);

    private static void LstmBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        var saved = (LstmSaved)entry.Context!;
        Tensor x = entry.A!, wi = entry.B!, wh = entry.C!, output = entry.Output;
        // Weight and bias gradients are added into by the kernel; anything not wanted goes to zeroed scratch.
        Tensor Accumulator(Tensor t) => t.RequiresGrad ? graph.GradOf(t) : graph.NewTensor(t.Shape, zero: true);
        Tensor Sink(Tensor t) => t.RequiresGrad ? graph.GradientSink(t) : graph.NewTensor(t.Shape, zero: false);
        Tensor dx = Sink(x), dh0 = Sink(saved.InitialHidden), dc0 = Sink(saved.InitialCell);
        Tensor gateGrads = graph.NewTensor(saved.Gates.Shape, zero: false);
        LstmLayerKernel.Backward(saved.Shape, x.AsSpan(), wi.AsSpan(), wh.AsSpan(), saved.InitialHidden.AsSpan(), saved.InitialCell.AsSpan(),
            saved.Gates.AsSpan(), saved.Cells.AsSpan(), saved.TanhCells.AsSpan(), output.AsSpan(), output.Grad!.AsSpan(), [], [],
            gateGrads.AsSpan(), dx.AsSpan(), Accumulator(wi).AsSpan(), Accumulator(wh).AsSpan(), Accumulator(saved.Bias).AsSpan(),
            dh0.AsSpan(), dc0.AsSpan(), TensorSettings.Threads);
        if (x.RequiresGrad) Graph.Accumulate(x, dx);
        if (saved.InitialHidden.RequiresGrad) Graph.Accumulate(saved.InitialHidden, dh0);
        if (saved.InitialCell.RequiresGrad) Graph.Accumulate(saved.InitialCell, dc0);
    }
}
