namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>The native buffers and devices one case owns, freed with it.</summary>
internal sealed class Operands : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Takes ownership of <paramref name="resource"/> and returns it.</summary>
    public T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    /// <summary>A seeded padded matrix (<see cref="BenchmarkData.Matrix"/>) owned by this set.</summary>
    public NativeMatrix Matrix(int rows, int columns, float scale = 0.5f, int salt = 0) =>
        Own(BenchmarkData.Matrix(rows, columns, scale, salt));

    /// <summary>A contiguous vector of <paramref name="length"/> seeded values in ±<paramref name="scale"/> (0: zeros) owned by this set.</summary>
    public unsafe float* Vector(int length, float scale = 1f, int salt = 0) => Matrix(1, length, scale, salt).Data;

    /// <summary>Frees everything, last taken first.</summary>
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
