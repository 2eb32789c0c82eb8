namespace EmbedEngine.Tensors.Tests;

/// <summary>Double-precision references of the operations, written as plainly as possible.</summary>
internal static class Reference
{
    public static double[] MatMul(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) c[i * n + j] += a[i * k + p] * b[p * n + j];
        return c;
    }

    /// <summary>The transpose of a rows × columns row-major matrix.</summary>
    public static double[] Transpose(double[] a, int rows, int columns)
    {
        var t = new double[a.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[c * rows + r] = a[r * columns + c];
        return t;
    }
}
