using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Shape checks of the dense kernels, which take contiguous row-major [rows, columns] spans. Thrown from here, not
/// inline, for the reason <see cref="KernelErrors"/> gives.
/// </summary>
internal static class RowMajor
{
    /// <summary>The number of rows of a span of <paramref name="length"/> floats with <paramref name="columns"/> per row.</summary>
    /// <exception cref="ArgumentException">The length is not a whole number of rows.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows(int length, int columns)
    {
        if (columns <= 0 ? length != 0 || columns < 0 : length % columns != 0) NotWholeRows(length, columns);
        return columns == 0 ? 0 : length / columns;
    }

    /// <summary>Checks that a span holds <paramref name="expected"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(string name, int actual, int expected)
    {
        if (actual != expected) WrongLength(name, actual, expected);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void NotWholeRows(int length, int columns) =>
        throw new ArgumentException($"{length} floats are not a whole number of rows of {columns} columns.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WrongLength(string name, int actual, int expected) =>
        throw new ArgumentException($"'{name}' holds {actual} floats; {expected} expected.");
}
