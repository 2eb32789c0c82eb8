using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="AttentionKernel"/>: every variant's forward and backward pass against the scalar reference through the
/// shared harness (guards, padding, unaligned offsets, tolerances from the error analysis in
/// <see cref="AttentionCase"/>), the entry points against the active variant bit for bit, and the same bits on 1
/// and 2 threads.
/// </summary>
public class AttentionTests
{
    /// <summary>
    /// Lengths off every tile (4-query register blocks, 16-query blocks, 16-key tiles on AVX2 and 64-key tiles on AVX-512), T = 1, fewer queries than keys with the causal
    /// mask (a cache), key padding with a fully masked sequence, head dims 1 … 256, fused QKV rows, logits of ±80, and several whole 64-key tiles per row, whose maximum moves from tile to tile.
    /// </summary>
    public static readonly AttentionCase[] Cases =
    [
        new(1, 1, 1, 1, 1, Causal: false),
        new(1, 1, 1, 1, 16, Causal: true),
        new(2, 3, 5, 5, 7, Causal: true),
        new(2, 2, 37, 37, 16, Causal: false),
        new(1, 2, 19, 19, 33, Causal: true, Threads: 2),
        new(2, 2, 45, 45, 64, Causal: true, KeyLengths: [45, 0]),
        new(3, 1, 35, 35, 64, Causal: false, KeyLengths: [33, 0, 17], Threads: 2),
        new(1, 1, 70, 70, 128, Causal: false),
        new(2, 2, 3, 41, 64, Causal: true, KeyLengths: [41, 29]),
        new(1, 2, 1, 50, 33, Causal: true),
        new(1, 2, 9, 3, 16, Causal: false),
        new(1, 1, 3, 0, 8, Causal: false),
        new(2, 3, 23, 23, 33, Causal: true, Fused: true, Threads: 2),
        new(1, 2, 40, 40, 64, Causal: false, KeyLengths: [38], Fused: true),
        new(2, 2, 29, 29, 64, Causal: true, LargeLogits: true),
        new(2, 1, 17, 17, 7, Causal: false, KeyLengths: [17, 5], LargeLogits: true),
        new(1, 1, 9, 9, 256, Causal: true),
        new(1, 2, 66, 66, 1, Causal: true, KeyLengths: [65]),
        new(1, 1, 150, 150, 64, Causal: false, LargeLogits: true),
        new(1, 2, 200, 200, 24, Causal: true, Fused: true),
    ];

    /// <summary>(case, variant, backward) for every case and every vector variant this CPU runs.</summary>
    public static TheoryData<int, Isa, bool> Variants()
    {
        var data = new TheoryData<int, Isa, bool>();
        foreach (Isa isa in IsaDispatch.Supported)
            if (isa != Isa.Scalar)
                for (int i = 0; i < Cases.Length; i++)
                {
                    data.Add(i, isa, false);
                    data.Add(i, isa, true);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_the_scalar_reference(int index, Isa isa, bool backward)
    {
        AttentionCase c = Cases[index];
        Harness.Compare(c.Build(new Random(index), backward), isa, offset: index % Harness.Offsets.Length, exact: false,
            $"Attention.{(backward ? "Backward" : "Forward")} {isa} vs Scalar, {c}");
    }

    [Fact]
    public void Entry_points_run_the_active_variant_bit_for_bit()
    {
        for (int i = 0; i < Cases.Length; i++)
            foreach (bool backward in new[] { false, true })
                Harness.Compare(Cases[i].Build(new Random(i), backward), variant: null, offset: i % Harness.Offsets.Length, exact: true,
                    $"Attention.{(backward ? "Backward" : "Forward")} entry point vs {IsaDispatch.Active}, {Cases[i]}");
    }

    /// <summary>Each (sequence, head) pair is computed whole by one thread, so the split cannot change a bit.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_and_two_threads_give_the_same_bits(bool backward)
    {
        foreach (Isa isa in IsaDispatch.Supported)
        {
            var one = new AttentionCase(3, 2, 50, 50, 40, Causal: true, KeyLengths: [50, 31, 0], Threads: 1);
            Problem single = one.Build(new Random(7), backward), pair = (one with { Threads = 2 }).Build(new Random(7), backward);
            using var a = new Arena(single, 1);
            using var b = new Arena(pair, 1);
            single.Run(isa, a);
            pair.Run(isa, b);
            for (int buffer = 0; buffer < single.Buffers.Count; buffer++)
                Assert.True(a.Snapshot(buffer).AsSpan().SequenceEqual(b.Snapshot(buffer)),
                    $"{isa} {(backward ? "backward" : "forward")}: {single.Buffers[buffer].Name} differs between 1 and 2 threads.");
        }
    }

    /// <summary>
    /// A training step calls attention once per layer; once the threads' scratch exists, a call allocates no managed
    /// memory (counted on the calling thread, which runs the first part, as the SGEMM's allocation test does).
    /// </summary>
    [Fact]
    public unsafe void Steady_state_calls_allocate_nothing()
    {
        const int B = 2, H = 2, T = 40, D = 32;
        var shape = new AttentionShape(B, H, T, T, D, causal: true);
        var data = new float[8 * B * T * H * D];
        for (int i = 0; i < data.Length; i++) data[i] = (i % 7 - 3) * 0.1f;
        var lse = new float[B * H * T];
        int[] lengths = [T, 17];
        fixed (float* x = data, l = lse)
        {
            Step(x, l, lengths);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) Step(x, l, lengths);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            // The second sequence's first query sees one key: its output is that key's value.
            Assert.Equal(data[2 * B * T * H * D + T * H * D + 5], data[3 * B * T * H * D + T * H * D + 5]);
        }

        void Step(float* x, float* l, int[] lengths)
        {
            long n = B * T * H * D;
            AttentionOperand Operand(int index) => AttentionOperand.Packed(x + index * n, T, H, D);
            AttentionKernel.Forward(shape, Operand(0), Operand(1), Operand(2), Operand(3), l, lengths, 2);
            AttentionKernel.Backward(shape, Operand(0), Operand(1), Operand(2), Operand(3), Operand(4), l, lengths,
                Operand(5), Operand(6), Operand(7), 2);
        }
    }

    [Fact]
    public unsafe void Variants_reject_key_lengths_that_do_not_fit()
    {
        var shape = new AttentionShape(2, 1, 3, 3, 4, causal: false);
        var data = new float[2 * 3 * 4];
        var lse = new float[6];
        fixed (float* x = data, l = lse)
        {
            AttentionOperand operand = AttentionOperand.Packed(x, 3, 1, 4);
            float* pl = l;
            Assert.Throws<ArgumentException>(() => AttentionKernel.ForwardAvx2(shape, operand, operand, operand, operand, pl, [3], 1));
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                AttentionKernel.Backward(shape, operand, operand, operand, operand, operand, pl, [3, 4], operand, operand, operand, 1));
        }
    }
}
