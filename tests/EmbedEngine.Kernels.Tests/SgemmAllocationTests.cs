using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// A training step calls GEMM many times; once its packing buffers and workers exist, a product allocates no managed
/// memory. Counted on the calling thread, which runs the first part of every threaded product and hands the others
/// to the workers: the process-wide count also sees the test host's threads report earlier results. (Run alone,
/// the process-wide count stays at 0 too.) The runtime itself may allocate once on this thread at any time (CI once saw
/// 8,104 bytes, the size of an object[1010], as thread-static storage grows), so the steps are counted in three
/// windows and two of them must allocate nothing: a product that allocates on every call fails all three.
/// </summary>
public class SgemmAllocationTests
{
    [Fact]
    public unsafe void Steady_state_products_allocate_nothing()
    {
        const int M = 256, N = 256, K = 128, Batch = 4;
        var a = new float[Batch * M * K];
        var b = new float[Batch * K * N];
        var c = new float[Batch * M * N];
        Array.Fill(a, 0.5f);
        Array.Fill(b, 0.25f);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Step(pa, pb, pc);
            var allocated = new long[3];
            for (int window = 0; window < allocated.Length; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 5; i++) Step(pa, pb, pc);
                allocated[window] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Assert.True(allocated.Count(bytes => bytes == 0) >= 2, $"Bytes allocated per window of 5 steps: {string.Join(", ", allocated)}.");
        }
        // The products ran; the batch came last: 32 terms of 0.5 · 0.25.
        Assert.Equal(32 * 0.125f, c[0]);

        static void Step(float* a, float* b, float* c)
        {
            SgemmKernel.Multiply(false, false, M, N, K, 1f, a, K, b, N, 0f, c, N, threads: 2);
            SgemmKernel.Multiply(true, true, M, N, K, 1f, a, M, b, K, 1f, c, N, threads: 2);
            SgemmKernel.MultiplyBatched(false, false, 32, 32, 32, 1f, a, K, M * K, b, N, K * N, 0f, c, N, M * N, Batch, threads: 2);
        }
    }
}
