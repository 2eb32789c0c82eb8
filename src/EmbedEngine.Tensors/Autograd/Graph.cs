namespace EmbedEngine.Tensors.Autograd;

/// <summary>
/// The tape of one thread: every tensor that operations made since the last release, and the operations that
/// need a backward step, in order. <see cref="Tensor.Backward(Tensor?)"/> walks the tape once in reverse, then releases
/// it; the tensor and storage objects go to free lists so the next step reuses them instead of allocating.
/// </summary>
public sealed unsafe class Graph
{
    [ThreadStatic]
    private static Graph? t_current;

    private readonly List<Tensor> _made = [];
    private readonly Stack<Tensor> _freeTensors = new();
    private readonly Stack<TensorStorage> _freeStorage = new();
    private TapeEntry[] _tape = new TapeEntry[64];
    private int _recorded;

    private Graph()
    {
    }

    /// <summary>This thread's graph.</summary>
    public static Graph Current => t_current ??= new Graph();

    /// <summary>Whether operations record for backward now.</summary>
    public bool IsRecording => NoGradDepth == 0;

    /// <summary>Operations recorded since the last release.</summary>
    public int RecordedOperations => _recorded;

    /// <summary>Tensors made since the last release.</summary>
    public int LiveTensors => _made.Count;

    internal int NoGradDepth { get; set; }

    /// <summary>Stops recording until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad() => new(Current);

    /// <summary>A new contiguous tensor of <paramref name="shape"/> owned by this graph, on the CPU unless <paramref name="device"/> says otherwise.</summary>
    internal Tensor NewTensor(in Shape shape, bool zero, Device? device = null)
    {
        TensorStorage storage = _freeStorage.Count > 0 ? _freeStorage.Pop() : new TensorStorage();
        storage.Reuse(device ?? Device.Cpu, shape.Count, zero);
        Tensor tensor = TakeTensor();
        tensor.Attach(storage, 0, shape);
        return tensor;
    }

    /// <summary>A view of <paramref name="source"/>'s memory owned by this graph.</summary>
    internal Tensor NewView(Tensor source, int offset, in Shape shape, ReadOnlySpan<int> strides)
    {
        Tensor tensor = TakeTensor();
        tensor.AttachView(source.Storage, offset, shape, strides);
        return tensor;
    }

    /// <summary>Whether an operation on these inputs must be recorded.</summary>
    internal bool NeedsGrad(Tensor a, Tensor? b = null, Tensor? c = null) =>
        IsRecording && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    /// <summary>Appends an operation; its output then requires a gradient.</summary>
    internal void Record(in TapeEntry entry)
    {
        if (_recorded == _tape.Length) Array.Resize(ref _tape, _tape.Length * 2);
        _tape[_recorded++] = entry;
        entry.Output.RequiresGrad = true;
    }

    /// <summary>The gradient of <paramref name="tensor"/>, made (zeroed) on first use: the graph's for intermediates, the caller's for leaves.</summary>
    internal Tensor GradOf(Tensor tensor)
    {
        if (tensor.Grad != null) return tensor.Grad;
        tensor.Grad = NewGradient(tensor, zero: true);
        return tensor.Grad;
    }

    /// <summary>
    /// Where a backward kernel that overwrites its output should write <paramref name="tensor"/>'s gradient
    /// contribution: the gradient itself while it has none yet, scratch otherwise; pass the result to <see cref="Accumulate"/>.
    /// </summary>
    internal Tensor GradientSink(Tensor tensor)
    {
        if (tensor.Grad != null) return NewTensor(tensor.Shape, zero: false, tensor.Device);
        tensor.Grad = NewGradient(tensor, zero: false);
        return tensor.Grad;
    }

    /// <summary>A gradient for <paramref name="tensor"/>: the graph's for an intermediate, the caller's (it lives on) for a leaf.</summary>
    private Tensor NewGradient(Tensor tensor, bool zero) =>
        tensor.BelongsToGraph ? NewTensor(tensor.Shape, zero, tensor.Device) : Tensor.Owned(tensor.Shape, zero, tensor.Device);

    /// <summary>Adds a contribution written to a <see cref="GradientSink"/> into the gradient, unless it was written there directly.</summary>
    internal static void Accumulate(Tensor tensor, Tensor sink)
    {
        if (!ReferenceEquals(sink, tensor.Grad)) TensorMath.AddInto(tensor.Grad!, sink);
    }

    /// <summary>
    /// Back-propagates from <paramref name="root"/> with gradient <paramref name="seed"/> (ones when null), then releases
    /// the graph. When <paramref name="gradientReady"/> is given, it is called with the index of each of
    /// <paramref name="parameters"/> as soon as that parameter's gradient is final, while the backward pass goes on.
    /// </summary>
    internal void Backward(Tensor root, Tensor? seed, IReadOnlyList<Tensor>? parameters = null, Action<int>? gradientReady = null)
    {
        int depth = NoGradDepth;
        try
        {
            if (!root.RequiresGrad) throw new InvalidOperationException("The tensor does not depend on anything that requires a gradient.");
            Tensor grad = GradOf(root);
            if (seed == null)
            {
                if (root.Count != 1) throw new InvalidOperationException($"Backward() without a gradient needs a one-element tensor; this one has shape {root.Shape}.");
                if (grad.Device.Kind == DeviceKind.Gpu) grad.CopyFrom([grad.ToArray()[0] + 1f]);
                else grad.Data[0] += 1f;
            }
            else
            {
                if (seed.Shape != root.Shape) throw new ArgumentException($"The gradient has shape {seed.Shape}; the tensor has {root.Shape}.", nameof(seed));
                TensorMath.AddInto(grad, seed);
            }
            // Backward steps only read and accumulate; nothing they compute is itself differentiated.
            NoGradDepth++;
            List<int>[]? readyAfter = gradientReady == null ? null : GradientCompletion(parameters!);
            for (int i = _recorded - 1; i >= 0; i--)
            {
                ref TapeEntry entry = ref _tape[i];
                if (entry.Output.Grad != null) entry.Backward(ref entry);
                if (readyAfter?[i] is { } ready) foreach (int parameter in ready) gradientReady!(parameter);
            }
            if (readyAfter?[^1] is { } unused) foreach (int parameter in unused) gradientReady!(parameter);
        }
        finally
        {
            NoGradDepth = depth;
            Release();
        }
    }

    /// <summary>
    /// For each tape entry (and, last, for none), the parameters whose gradient is final once the backward walk has
    /// passed it: the earliest entry that names the parameter. An entry with a context object may hold any tensor in
    /// it, so no parameter is called final before the earliest such entry either.
    /// </summary>
    private List<int>[] GradientCompletion(IReadOnlyList<Tensor> parameters)
    {
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        for (int p = 0; p < parameters.Count; p++) index[parameters[p]] = p;
        var earliest = new int[parameters.Count];
        Array.Fill(earliest, -1);
        int earliestContext = int.MaxValue;
        for (int i = _recorded - 1; i >= 0; i--)
        {
            ref TapeEntry entry = ref _tape[i];
            if (entry.Context != null) earliestContext = i;
            foreach (Tensor? input in (ReadOnlySpan<Tensor?>)[entry.A, entry.B, entry.C, entry.Saved, entry.Saved2])
                if (input != null && index.TryGetValue(input, out int p)) earliest[p] = i;
        }
        var readyAfter = new List<int>[_recorded + 1];
        for (int p = 0; p < parameters.Count; p++)
        {
            int at = earliest[p] < 0 ? _recorded : Math.Min(earliest[p], earliestContext == int.MaxValue ? earliest[p] : earliestContext);
            (readyAfter[at] ??= []).Add(p);
        }
        return readyAfter;
    }

    /// <summary>
    /// Forgets the tape and recycles every tensor made since the last release. Tensors they returned are invalid
    /// afterwards; copy out (<see cref="Tensor.Clone"/>, <see cref="Tensor.Item"/>) what must outlive the step.
    /// </summary>
    public void Release()
    {
        Array.Clear(_tape, 0, _recorded);
        _recorded = 0;
        foreach (Tensor tensor in _made)
        {
            TensorStorage? storage = tensor.Detach();
            if (storage != null) _freeStorage.Push(storage);
            _freeTensors.Push(tensor);
        }
        _made.Clear();
    }

    private Tensor TakeTensor()
    {
        Tensor tensor = _freeTensors.Count > 0 ? _freeTensors.Pop() : new Tensor { BelongsToGraph = true };
        _made.Add(tensor);
        return tensor;
    }
}
