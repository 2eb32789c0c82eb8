using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// SGEMM through cuBLAS (ILGPU.Algorithms' binding) on a CUDA device, one handle per accelerator. cuBLAS is
/// column-major, and a row-major C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the call swaps the
/// operands and the sizes and keeps every leading dimension.
/// </summary>
internal static class CuBlasGemm
{
    /// <summary>A device whose cuBLAS library did not load gets null, and keeps the tiled kernel.</summary>
    private static readonly ConditionalWeakTable<Accelerator, StrongBox<CuBlas?>> Handles = [];

    /// <summary>Queues the product on cuBLAS; false when the device is not CUDA or cuBLAS is missing there.</summary>
    public static bool TryMultiply(GpuDevice device, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        if (device.Kind != GpuKind.Cuda || Handles.GetValue(device.Accelerator, Open).Value is not { } blas) return false;
        blas.Gemm(transposeB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            transposeA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
        return true;
    }

    private static StrongBox<CuBlas?> Open(Accelerator accelerator)
    {
        try
        {
            return new StrongBox<CuBlas?>(new CuBlas((CudaAccelerator)accelerator));
        }
        catch (Exception e) when (e is DllNotFoundException or CuBlasException)
        {
            return new StrongBox<CuBlas?>(null);
        }
    }
}
