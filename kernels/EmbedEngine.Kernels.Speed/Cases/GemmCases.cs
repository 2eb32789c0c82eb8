using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>SGEMM C ← A·B on one thread at <see cref="SpeedShapes.GemmSizes"/>, and on the first CUDA GPU when ILGPU finds one.</summary>
internal static unsafe class GemmCases
{
    public static SpeedCase Sgemm(int size)
    {
        var operands = new Operands();
        NativeMatrix a = operands.Matrix(size, size, salt: 24), b = operands.Matrix(size, size, salt: 25), c = operands.Matrix(size, size, salt: 26);
        return SpeedCase.Of<SgemmFn>("Sgemm", $"{size}x{size}x{size}", Work.Flops(2.0 * size * size * size),
            (SgemmKernel.Scalar, SgemmKernel.Avx2, SgemmKernel.Avx512),
            gemm => () => gemm(false, false, size, size, size, 1f, a.Data, a.Stride, b.Data, b.Stride, 0f, c.Data, c.Stride, 1, default),
            operands, Gpu(operands, size));
    }

    /// <summary>One product on the first CUDA GPU, waited for; null when ILGPU finds none.</summary>
    private static Action? Gpu(Operands operands, int size)
    {
        if (GpuDevice.CudaDevices().Count == 0) return null;
        GpuDevice device = operands.Own(GpuDevice.Open("cuda"));
        long floats = (long)size * size;
        ArrayView<float> a = Zeros(operands, device, floats, "A"), b = Zeros(operands, device, floats, "B"), c = Zeros(operands, device, floats, "C");
        return () =>
        {
            GemmGpu.Multiply(device, false, false, size, size, size, 1f, a, size, b, size, 0f, c, size);
            device.Synchronize();
        };
    }

    /// <summary>A zeroed device buffer of <paramref name="floats"/> owned by <paramref name="operands"/> (zeros time like any other values).</summary>
    private static ArrayView<float> Zeros(Operands operands, GpuDevice device, long floats, string what)
    {
        var buffer = operands.Own(device.Allocate<float>(floats, what));
        buffer.MemSetToZero();
        return buffer.View;
    }
}
