namespace EmbedEngine.Tensors;

/// <summary>Process-wide settings of the tensor operations.</summary>
public static class TensorSettings
{
    /// <summary>Threads the large kernels (GEMM) may use; 0 means one per core.</summary>
    public static int Threads { get; set; }
}
