using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels;

/// <summary>
/// Argument errors of the kernels, thrown from here rather than built inline: the message formatting would
/// otherwise be inlined into every vectorized variant, bloat its prologue and use up the JIT's inlining budget
/// before it reaches the loops that matter.
/// </summary>
internal static class KernelErrors
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LengthsDiffer(int x, int y) =>
        throw new ArgumentException($"Vector lengths differ: {x} and {y}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LabelsDiffer(int targets, int labels) =>
        throw new ArgumentException($"{targets} targets but {labels} labels.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void GradientLength(int grad, int hidden) =>
        throw new ArgumentException($"Gradient length {grad} differs from hidden length {hidden}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ScratchTooSmall(int length, int needed) =>
        throw new ArgumentException($"Scratch holds {length} floats; {needed} needed.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ScoresTooShort(int length, int rows) =>
        throw new ArgumentException($"Scores hold {length}; {rows} rows.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EmptyContext(string paramName) =>
        throw new ArgumentException("CBOW needs at least one context row.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CentroidsTooShort(int length, int dimension, int count) =>
        throw new ArgumentException($"Centroids hold {length} floats; {count} centroids of dimension {dimension} need {(long)dimension * count}.");
}
