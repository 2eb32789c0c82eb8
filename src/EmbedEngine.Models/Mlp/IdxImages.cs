namespace EmbedEngine.Models.Mlp;

/// <summary>Images read from an idx file: <paramref name="Pixels"/> holds <paramref name="Count"/> images of rows × columns bytes, row-major.</summary>
public sealed record IdxImages(byte[] Pixels, int Count, int Rows, int Columns)
{
    /// <summary>Pixels per image.</summary>
    public int PixelsPerImage => Rows * Columns;
}
