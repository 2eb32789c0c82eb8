using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;
using ILGPU;

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
    /// backpropagation) needs. With <paramref name="projectionWeights"/> W_hr [P, H] the layer is an LSTMP (PyTorch's
    /// proj_size): r = W_hr·h is what each step feeds back and outputs, so W_hh is [4H, P], h₀ is [B, P] and the
    /// result is [T, B, P]. See <see cref="LstmLayerKernel"/>.
    /// </summary>
    public static Tensor Lstm(Tensor x, Tensor inputWeights, Tensor recurrentWeights, Tensor bias, Tensor? initialHidden = null, Tensor? initialCell = null,
        Tensor? finalCell = null, Tensor? projectionWeights = null)
    {
        Device device = LstmDevice(x, inputWeights, recurrentWeights, bias, initialHidden, initialCell, finalCell, projectionWeights);
        if (x.Rank != 3) throw new ArgumentException($"Lstm: x must be [steps, batch, inputs]; got {x.Shape}.");
        int steps = x.Shape[0], batch = x.Shape[1], inputs = x.Shape[2], gates = inputWeights.Shape[0], hidden = gates / 4;
        if (inputWeights.Rank != 2 || gates % 4 != 0 || inputWeights.Shape[1] != inputs)
            throw new ArgumentException($"Lstm: W_ih must be [4H, {inputs}]; got {inputWeights.Shape}.");
        if (projectionWeights != null && (projectionWeights.Rank != 2 || projectionWeights.Shape[1] != hidden || projectionWeights.Shape[0] < 1))
            throw new ArgumentException($"Lstm: W_hr must be [P, {hidden}]; got {projectionWeights.Shape}.");
        int projection = projectionWeights?.Shape[0] ?? 0, width = projection > 0 ? projection : hidden;
        if (recurrentWeights.Shape != new Shape(gates, width)) throw new ArgumentException($"Lstm: W_hh must be [{gates}, {width}]; got {recurrentWeights.Shape}.");
        if (bias.Shape != new Shape(gates)) throw new ArgumentException($"Lstm: the bias must be [{gates}]; got {bias.Shape}.");
        var state = new Shape(batch, width);
        var cellState = new Shape(batch, hidden);
        if ((initialHidden != null && initialHidden.Shape != state) || (initialCell != null && initialCell.Shape != cellState))
            throw new ArgumentException($"Lstm: initial states must be [{batch}, {width}] and [{batch}, {hidden}]; got {initialHidden?.Shape} and {initialCell?.Shape}.");
        if (finalCell != null && (finalCell.Shape != cellState || !finalCell.IsContiguous))
            throw new ArgumentException($"Lstm: the final cell must be a contiguous [{batch}, {hidden}]; got {finalCell.Shape}.");
        if (finalCell != null && steps == 0) throw new ArgumentException("Lstm: a sequence of no steps has no final cell.");
        Graph graph = Graph.Current;
        var shape = new LstmLayerShape(steps, batch, inputs, hidden, projection);
        Tensor input = x.Contiguous(), wi = inputWeights.Contiguous(), wh = recurrentWeights.Contiguous(), b = bias.Contiguous();
        Tensor? wr = projectionWeights?.Contiguous();
        // Everything the backward step reads beyond the inputs, in one tensor so that recording allocates nothing.
        var layout = new LstmWorkspaceLayout(shape);
        Tensor workspace = graph.NewTensor(new Shape(layout.Length), zero: false, device);
        Tensor output = graph.NewTensor(new Shape(steps, batch, width), zero: false, device);
        if (device.Gpu is GpuDevice gpu) LstmForwardGpu(gpu, layout, input, wi, wh, b, wr, initialHidden, initialCell, finalCell, workspace, output);
        else
        {
            var saved = new LstmWorkspace(layout, workspace);
            CopyOrClear(initialHidden, saved.InitialHidden);
            CopyOrClear(initialCell, saved.InitialCell);
            Span<float> hiddens = projection > 0 ? saved.Hiddens : output.AsSpan();
            LstmLayerKernel.Forward(shape, input.AsSpan(), wi.AsSpan(), wh.AsSpan(), b.AsSpan(), saved.InitialHidden, saved.InitialCell,
                saved.Gates, saved.Cells, saved.TanhCells, hiddens, new LstmProjection(wr != null ? wr.AsSpan() : [], projection > 0 ? output.AsSpan() : []),
                TensorSettings.Threads);
            if (finalCell != null) saved.Cells[^(batch * hidden)..].CopyTo(finalCell.AsSpan());
        }
        bool statesLearn = initialHidden is { RequiresGrad: true } || initialCell is { RequiresGrad: true };
        if (graph.NeedsGrad(input, wi, wh) || graph.NeedsGrad(b, wr) || statesLearn)
            graph.Record(new TapeEntry
            {
                Backward = &LstmBackward, Output = output, A = input, B = wi, C = wh, Saved = b, Saved2 = workspace,
                Context = statesLearn ? new LstmExtras(initialHidden, initialCell, wr)
                    : wr != null ? ProjectionOnly.GetValue(wr, static w => new LstmExtras(null, null, w)) : null,
            });
        return output;
    }

    private static void CopyOrClear(Tensor? source, Span<float> destination)
    {
        if (source == null) destination.Clear();
        else source.CopyTo(destination);
    }

    /// <summary>
    /// What few calls have: initial states that take a gradient (states are usually zeros or carried constants), or
    /// a projection's weights (an LSTMP).
    /// </summary>
    private sealed record LstmExtras(Tensor? Hidden, Tensor? Cell, Tensor? ProjectionWeights);

    /// <summary>One <see cref="LstmExtras"/> per projection matrix, made once, so that training steps of an LSTMP allocate nothing.</summary>
    private static readonly ConditionalWeakTable<Tensor, LstmExtras> ProjectionOnly = new();

    /// <summary>
    /// Where the saved activations of one LSTM call lie in its one flat workspace tensor: gates, cells, tanh cells,
    /// h₀, c₀, and with a projection h of every step (without one, h is the output). Each is (start, length) in floats.
    /// </summary>
    private readonly struct LstmWorkspaceLayout
    {
        public LstmWorkspaceLayout(in LstmLayerShape shape)
        {
            Shape = shape;
            int gates = checked(shape.Rows * shape.Gates), states = checked(shape.Rows * shape.Hidden);
            int initial = shape.Batch * shape.Recurrent, cell = shape.Batch * shape.Hidden;
            Gates = (0, gates);
            Cells = (gates, states);
            TanhCells = (checked(gates + states), states);
            InitialHidden = (checked(gates + 2 * states), initial);
            InitialCell = (checked(InitialHidden.Start + initial), cell);
            Hiddens = (checked(InitialCell.Start + cell), shape.Projection > 0 ? states : 0);
            Length = checked(Hiddens.Start + Hiddens.Length);
        }

        public LstmLayerShape Shape { get; }
        public (int Start, int Length) Gates { get; }
        public (int Start, int Length) Cells { get; }
        public (int Start, int Length) TanhCells { get; }
        public (int Start, int Length) InitialHidden { get; }
        public (int Start, int Length) InitialCell { get; }
        public (int Start, int Length) Hiddens { get; }
        public int Length { get; }
    }

    /// <summary>The workspace's buffers as host spans (see <see cref="LstmWorkspaceLayout"/>).</summary>
    private readonly ref struct LstmWorkspace
    {
        public LstmWorkspace(in LstmWorkspaceLayout layout, Tensor workspace)
        {
            Span<float> all = workspace.AsSpan();
            Gates = all.Slice(layout.Gates.Start, layout.Gates.Length);
            Cells = all.Slice(layout.Cells.Start, layout.Cells.Length);
            TanhCells = all.Slice(layout.TanhCells.Start, layout.TanhCells.Length);
            InitialHidden = all.Slice(layout.InitialHidden.Start, layout.InitialHidden.Length);
            InitialCell = all.Slice(layout.InitialCell.Start, layout.InitialCell.Length);
            Hiddens = all.Slice(layout.Hiddens.Start, layout.Hiddens.Length);
        }

        public Span<float> Gates { get; }
        public Span<float> Cells { get; }
        public Span<float> TanhCells { get; }
        public Span<float> InitialHidden { get; }
        public Span<float> InitialCell { get; }
        public Span<float> Hiddens { get; }
    }

    private static void LstmBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor x = entry.A!, wi = entry.B!, wh = entry.C!, bias = entry.Saved!, output = entry.Output;
        var extras = (LstmExtras?)entry.Context;
        Tensor? wr = extras?.ProjectionWeights;
        var layout = new LstmWorkspaceLayout(new LstmLayerShape(x.Shape[0], x.Shape[1], x.Shape[2], wi.Shape[0] / 4, wr?.Shape[0] ?? 0));
        LstmLayerShape shape = layout.Shape;
        Device device = x.Device;
        // Weight and bias gradients are added into by the kernel; anything not wanted goes to zeroed scratch.
        Tensor Accumulator(Tensor t) => t.RequiresGrad ? graph.GradOf(t) : graph.NewTensor(t.Shape, zero: true, device);
        Tensor Sink(Tensor? t, in Shape fallback) => t is { RequiresGrad: true } ? graph.GradientSink(t) : graph.NewTensor(fallback, zero: false, device);
        Tensor Scratch(int rows, int columns) => graph.NewTensor(new Shape(rows, columns), zero: false, device);
        Tensor dx = Sink(x, x.Shape), dh0 = Sink(extras?.Hidden, new Shape(shape.Batch, shape.Recurrent)), dc0 = Sink(extras?.Cell, new Shape(shape.Batch, shape.Hidden));
        Tensor gateGrads = Scratch(shape.Rows, shape.Gates), dwi = Accumulator(wi), dwh = Accumulator(wh), dbias = Accumulator(bias);
        Tensor? dwr = wr == null ? null : Accumulator(wr), outputGrads = wr == null ? null : Scratch(shape.Rows, shape.Projection);
        Tensor? stepHiddenGrad = wr == null ? null : Scratch(shape.Batch, shape.Hidden);
        if (device.Gpu is GpuDevice gpu)
        {
            ArrayView<float> saved = entry.Saved2!.DeviceView("Lstm");
            var projection = wr == null ? default : new LstmGpuProjection(wr.DeviceView("Lstm"), output.DeviceView("Lstm"), dwr!.DeviceView("Lstm"),
                outputGrads!.DeviceView("Lstm"), stepHiddenGrad!.DeviceView("Lstm"));
            LstmLayerGpu.Backward(gpu, shape, x.DeviceView("Lstm"), wi.DeviceView("Lstm"), wh.DeviceView("Lstm"), Part(saved, layout.InitialHidden),
                Part(saved, layout.InitialCell), Part(saved, layout.Gates), Part(saved, layout.Cells), Part(saved, layout.TanhCells),
                wr == null ? output.DeviceView("Lstm") : Part(saved, layout.Hiddens), output.Grad!.DeviceView("Lstm"), default, default,
                gateGrads.DeviceView("Lstm"), dx.DeviceView("Lstm"), dwi.DeviceView("Lstm"), dwh.DeviceView("Lstm"), dbias.DeviceView("Lstm"),
                dh0.DeviceView("Lstm"), dc0.DeviceView("Lstm"), projection);
        }
        else
        {
            var saved = new LstmWorkspace(layout, entry.Saved2!);
            var projection = wr == null ? default : new LstmProjection(wr.AsSpan(), output.AsSpan(), dwr!.AsSpan(), outputGrads!.AsSpan(), stepHiddenGrad!.AsSpan());
            LstmLayerKernel.Backward(shape, x.AsSpan(), wi.AsSpan(), wh.AsSpan(), saved.InitialHidden, saved.InitialCell,
                saved.Gates, saved.Cells, saved.TanhCells, wr == null ? output.AsSpan() : saved.Hiddens, output.Grad!.AsSpan(), [], [],
                gateGrads.AsSpan(), dx.AsSpan(), dwi.AsSpan(), dwh.AsSpan(), dbias.AsSpan(), dh0.AsSpan(), dc0.AsSpan(), projection, TensorSettings.Threads);
        }
        if (x.RequiresGrad) Graph.Accumulate(x, dx);
        if (extras?.Hidden is { RequiresGrad: true } h0) Graph.Accumulate(h0, dh0);
        if (extras?.Cell is { RequiresGrad: true } c0) Graph.Accumulate(c0, dc0);
    }
}
