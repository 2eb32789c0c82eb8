using System.Runtime.InteropServices;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Tests;

/// <summary>How the inputs of one problem are drawn.</summary>
public enum Values
{
    /// <summary>Uniform in [-1, 1].</summary>
    Random,

    /// <summary>All zero.</summary>
    Zeros,

    /// <summary>Uniform in [-8, 8]; kernels that take a sigmoid also place some scores right at ±6 and some well beyond.</summary>
    Large,
}

/// <summary>The shape and value kind of one problem, with the seeded generator that draws it.</summary>
public sealed class Shape(Random rng, int length, Values values)
{
    /// <summary>Seeded generator.</summary>
    public Random Rng { get; } = rng;

    /// <summary>The kernel's vector length (dim).</summary>
    public int Length { get; } = length;

    /// <summary>How values are drawn.</summary>
    public Values Values { get; } = values;

    /// <summary>One value of this shape's kind.</summary>
    public float Value() => Values switch
    {
        Values.Zeros => 0f,
        Values.Large => (float)(Rng.NextDouble() * 16 - 8),
        _ => (float)(Rng.NextDouble() * 2 - 1),
    };

    /// <summary>A vector of <paramref name="count"/> values.</summary>
    public float[] Vector(int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = Value();
        return v;
    }

    /// <summary>A row stride a little past the length, so consecutive rows start unaligned.</summary>
    public int Stride() => Length + Rng.Next(0, 6);

    /// <summary>
    /// A row-major matrix: the used columns hold values, the padding between rows holds <see cref="Harness.Padding"/>,
    /// which a kernel must leave exactly as it is.
    /// </summary>
    public float[] Matrix(int rows, int stride)
    {
        var m = new float[rows * stride];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < stride; c++)
            m[r * stride + c] = c < Length ? Value() : Harness.Padding;
        return m;
    }

    /// <summary>min(count, rows) distinct row indices below <paramref name="rows"/>, in random order.</summary>
    public int[] DistinctIndices(int count, int rows)
    {
        int[] all = [.. Enumerable.Range(0, rows)];
        Rng.Shuffle(all);
        return all[..Math.Min(count, rows)];
    }

    /// <summary><paramref name="count"/> row indices below <paramref name="rows"/>; repeats allowed, as in real windows.</summary>
    public int[] Indices(int count, int rows)
    {
        var idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = Rng.Next(rows);
        return idx;
    }
}

/// <summary>
/// One kernel's inputs for one shape: named buffers (each run gets fresh copies in aligned native memory, shifted
/// by the offset and fenced by guard floats), how to call a variant on them, and the per-element tolerance that the
/// operation's error analysis allows between a variant and the reference. Buffers without a tolerance must come
/// back bit for bit.
/// </summary>
public sealed class Problem
{
    private readonly List<(string Name, float[] Contents, float[]? Tolerance)> _buffers = [];

    /// <summary>Calls a variant (or the public entry point) on the given memory; returns its scalar result or 0.</summary>
    public Func<Variant, Arena, float> Run { get; set; } = (_, _) => throw new InvalidOperationException("The case set no Run.");

    /// <summary>
    /// Runs the GPU variant on device copies of the memory (null: the kernel has none yet); returns its scalar result
    /// or 0. Compared with the scalar reference like a CPU variant, guards included.
    /// </summary>
    public Func<DeviceArena, float>? Gpu { get; set; }

    /// <summary>Allowed difference in <see cref="Run"/>'s scalar result.</summary>
    public float ResultTolerance { get; set; }

    internal IReadOnlyList<(string Name, float[] Contents, float[]? Tolerance)> Buffers => _buffers;

    /// <summary>Adds a buffer and returns its handle.</summary>
    public int Add(string name, float[] contents, float[]? tolerance = null)
    {
        if (tolerance != null && tolerance.Length != contents.Length)
            throw new ArgumentException($"Tolerance of '{name}' has {tolerance.Length} floats; contents {contents.Length}.");
        _buffers.Add((name, contents, tolerance));
        return _buffers.Count - 1;
    }
}

/// <summary>Fresh 64-byte aligned native copies of a problem's buffers, each shifted by an offset and fenced by guards.</summary>
public sealed unsafe class Arena : IDisposable
{
    /// <summary>Floats before each buffer's aligned start: one cache line, so the allocation stays aligned.</summary>
    public const int GuardBefore = 16;

    /// <summary>Floats after each buffer: more than one Vector512, so any overrun of a tail step lands in them.</summary>
    public const int GuardAfter = 32;

    private readonly List<(nint Base, int Offset, int Length)> _blocks = [];

    /// <summary>Copies every buffer of <paramref name="problem"/>, shifted <paramref name="offset"/> floats past alignment.</summary>
    public Arena(Problem problem, int offset)
    {
        foreach (var (_, contents, _) in problem.Buffers)
        {
            int total = GuardBefore + offset + contents.Length + GuardAfter;
            var block = (float*)NativeMemory.AlignedAlloc((nuint)total * sizeof(float), NativeMatrix.Alignment);
            new Span<float>(block, total).Fill(Harness.Guard);
            contents.CopyTo(new Span<float>(block + GuardBefore + offset, contents.Length));
            _blocks.Add(((nint)block, offset, contents.Length));
        }
    }

    /// <summary>Pointer to buffer <paramref name="handle"/>.</summary>
    public float* Pointer(int handle) => (float*)_blocks[handle].Base + GuardBefore + _blocks[handle].Offset;

    /// <summary>Buffer <paramref name="handle"/> as a span.</summary>
    public Span<float> Span(int handle) => new(Pointer(handle), _blocks[handle].Length);

    /// <summary>Buffers in this arena.</summary>
    internal int Count => _blocks.Count;

    /// <summary>The whole block of buffer <paramref name="handle"/>, guards included.</summary>
    internal Span<float> Block(int handle)
    {
        var (b, offset, length) = _blocks[handle];
        return new Span<float>((float*)b, GuardBefore + offset + length + GuardAfter);
    }

    /// <summary>Where buffer <paramref name="handle"/>'s contents start in its block, and how many floats they are.</summary>
    internal (int Start, int Length) Placement(int handle) => (GuardBefore + _blocks[handle].Offset, _blocks[handle].Length);

    /// <summary>The whole block of buffer <paramref name="handle"/>, guards included.</summary>
    internal float[] Snapshot(int handle)
    {
        var (b, offset, length) = _blocks[handle];
        return new Span<float>((float*)b, GuardBefore + offset + length + GuardAfter).ToArray();
    }

    /// <summary>Frees the copies.</summary>
    public void Dispose()
    {
        foreach (var (b, _, _) in _blocks) NativeMemory.AlignedFree((void*)b);
        _blocks.Clear();
    }
}

/// <summary>
/// Runs every variant of a kernel against its scalar reference over many shapes, value kinds and misalignments
/// (ggml's test-backend-ops, for CPU variants).
/// </summary>
public static class Harness
{
    /// <summary>Fills guard floats around every buffer; any change to one is an out-of-bounds write.</summary>
    public const float Guard = -31337.5f;

    /// <summary>Fills the padding between matrix rows.</summary>
    public const float Padding = 4242.25f;

    /// <summary>Odd lengths around every vector width and its multiples, and the word2vec dims.</summary>
    public static readonly int[] Lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 127, 200, 255, 300];

    /// <summary>Floats past 64-byte alignment at which every buffer starts.</summary>
    public static readonly int[] Offsets = [0, 1, 2, 3];

    /// <summary>Checks <paramref name="isa"/> (null: the entry point) against the reference on every shape.</summary>
    /// <param name="kernel">The case under test.</param>
    /// <param name="isa">The variant; null runs the public entry point.</param>
    /// <param name="exact">Demand bit-identical results (entry point versus the active variant).</param>
    public static void Check(KernelCase kernel, Isa? isa, bool exact = false)
    {
        Isa reference = exact ? IsaDispatch.Active : Isa.Scalar;
        ForEveryShape(kernel, (problem, offset, shape) =>
            Compare(problem, isa, offset, exact, $"{kernel.Name} {new Variant(isa)} vs {reference}, {shape}"));
    }

    /// <summary>
    /// Checks an experimental variant against the scalar reference on every shape of every case of its kernel
    /// (<see cref="KernelCases.Of"/>), as a shipped variant is checked.
    /// </summary>
    public static void CheckExperimental(ExperimentalVariant experimental)
    {
        var variant = new Variant(null, experimental);
        foreach (KernelCase kernel in KernelCases.Of(experimental.Kernel))
            ForEveryShape(kernel, (problem, offset, shape) =>
                Compare(problem, variant, offset, exact: false, $"{kernel.Name} {variant} vs Scalar, {shape}"));
    }

    /// <summary>Builds <paramref name="kernel"/>'s problem for every length, value kind and offset, and hands each to <paramref name="check"/>.</summary>
    private static void ForEveryShape(KernelCase kernel, Action<Problem, int, string> check)
    {
        int problems = 0;
        foreach (int length in Lengths)
        foreach (Values values in Enum.GetValues<Values>())
        foreach (int offset in Offsets)
        {
            var rng = new Random(Seed(kernel.Name, length, values, offset));
            check(kernel.Build(new Shape(rng, length, values)), offset, $"length {length}, {values} values, offset {offset}");
            problems++;
        }
        Assert.Equal(Lengths.Length * Offsets.Length * Enum.GetValues<Values>().Length, problems);
    }

    /// <summary>
    /// Runs one problem through the reference (the scalar variant, or the active one when <paramref name="exact"/>)
    /// and through <paramref name="isa"/> on fresh copies at <paramref name="offset"/>, and checks every buffer
    /// element against its tolerance and every guard float bit for bit.
    /// </summary>
    public static void Compare(Problem problem, Variant variant, int offset, bool exact, string where) =>
        Compare(problem, arena => problem.Run(variant, arena), offset, exact, where);

    /// <summary>
    /// Checks the GPU variant of <paramref name="kernel"/> on <paramref name="device"/> against the scalar reference on
    /// every shape (buffers copied whole to the device, guards included, so a write past a view shows as well).
    /// </summary>
    public static void CheckGpu(KernelCase kernel, GpuDevice device) =>
        ForEveryShape(kernel, (problem, offset, shape) => CompareGpu(problem, device, offset, $"{kernel.Name} GPU ({device.Name}) vs Scalar, {shape}"));

    /// <summary>
    /// Runs one problem's GPU variant on <paramref name="device"/> (on device copies of its fenced buffers) and checks
    /// it against the scalar reference as <see cref="Compare(Problem, Variant, int, bool, string)"/> does.
    /// </summary>
    public static void CompareGpu(Problem problem, GpuDevice device, int offset, string where)
    {
        Func<DeviceArena, float> gpu = problem.Gpu ?? throw new ArgumentException($"{where}: the problem has no GPU variant.");
        Compare(problem, arena =>
        {
            using var copies = new DeviceArena(device, arena);
            float result = gpu(copies);
            copies.CopyBack();
            return result;
        }, offset, exact: false, where);
    }

    private static void Compare(Problem problem, Func<Arena, float> runActual, int offset, bool exact, string where)
    {
        Isa reference = exact ? IsaDispatch.Active : Isa.Scalar;
        using var expectedArena = new Arena(problem, offset);
        using var actualArena = new Arena(problem, offset);
        float expected = problem.Run(reference, expectedArena);
        float actual = runActual(actualArena);
        AssertClose(expected, actual, exact ? 0f : problem.ResultTolerance, $"{where}, result");
        for (int b = 0; b < problem.Buffers.Count; b++)
        {
            var (name, contents, tolerance) = problem.Buffers[b];
            float[] e = expectedArena.Snapshot(b), a = actualArena.Snapshot(b);
            int start = Arena.GuardBefore + offset;
            for (int i = 0; i < e.Length; i++)
            {
                int index = i - start;
                bool inside = index >= 0 && index < contents.Length;
                float tol = inside && tolerance != null && !exact ? tolerance[index] : 0f;
                string what = inside ? $"{where}, {name}[{index}]" : $"{where}, guard {(index < 0 ? "before" : "after")} {name} at {index}";
                AssertClose(e[i], a[i], tol, what);
            }
        }
    }

    /// <summary>A seed that depends only on the problem (HashCode is randomized per process).</summary>
    private static int Seed(string name, int length, Values values, int offset)
    {
        int seed = 17;
        foreach (char ch in name) seed = seed * 31 + ch;
        return ((seed * 31 + length) * 31 + (int)values) * 31 + offset;
    }

    private static void AssertClose(float expected, float actual, float tolerance, string what)
    {
        if (expected.Equals(actual) || Math.Abs(expected - actual) <= tolerance) return;
        Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):R}, tolerance {tolerance:R}).");
    }
}
