namespace EmbedEngine.Kernels.Dense;

/// <summary>The shape check every element-wise backward pass shares: its three spans are equally long.</summary>
internal static class ElementWise
{
    /// <summary>Throws unless <paramref name="dy"/> and <paramref name="dx"/> hold <paramref name="input"/> floats.</summary>
    public static void Check(int input, int dy, int dx)
    {
        RowMajor.Length("dy", dy, input);
        RowMajor.Length("dx", dx, input);
    }
}
