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
    /// Lengths off every tile (4-query blocks, 16- and 32-key tiles), T = 1, fewer queries than keys with the causal
    /// mask (a cache), key padding with a fully masked sequence, head dims 1 … 256, fused QKV rows and logits of ±80.
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
                Harness.Compare(Cases[i].Build(new Random(i), backward), isa: null, offset: i % Harness.Offsets.Length, exact: true,
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
