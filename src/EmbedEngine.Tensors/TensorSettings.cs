namespace EmbedEngine.Tensors;

/// <summary>Process-wide settings of the tensor operations.</summary>
public static class TensorSettings
{
    /// <summary>Threads the kernels may use (GEMM, and the element-wise and row-wise operations on large tensors); 0 means one per core.</summary>
    public static int Threads { get; set; }
}
