namespace EmbedEngine.Kernels.Variants;

/// <summary>
/// A variant of a kernel that the dispatch does not know: research code, measured by the harness and the speed suite
/// exactly like the shipped variants.
/// </summary>
/// <param name="Kernel">The kernel family it implements, as the harness and the speed suite name it (<c>Dot</c>).</param>
/// <param name="Name">Unique name, picked with <c>EMBED_VARIANT</c> or <c>--variant</c> (<c>dot.avx2-2acc</c>).</param>
/// <param name="Function">The implementation, of the kernel's variant signature (<see cref="DotFn"/> for Dot).</param>
/// <param name="Requires">The instruction set it needs; it is skipped on CPUs without it.</param>
public sealed record ExperimentalVariant(string Kernel, string Name, Delegate Function, Isa Requires)
{
    /// <summary>Whether this CPU can run it.</summary>
    public bool IsSupported => IsaDispatch.IsSupported(Requires);

    /// <summary>The implementation as <typeparamref name="T"/>; the error names both signatures when it is another.</summary>
    /// <exception cref="InvalidOperationException">The function has another signature.</exception>
    public T As<T>() where T : Delegate =>
        Function as T ?? throw new InvalidOperationException(
            $"Experimental variant '{Name}' is a {Function.GetType().Name}; kernel {Kernel} calls a {typeof(T).Name}.");
}
