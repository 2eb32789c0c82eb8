using EmbedEngine.Kernels.Research;

namespace EmbedEngine.Kernels.Variants;

/// <summary>
/// The experimental variants of this process, by name: the ones in <c>Research/</c> and any that code registers at
/// run time. The dispatch never looks here; the kernel harness and <c>embed bench speed</c> do, so a variant is
/// checked against the scalar reference and timed beside the shipped ones before anyone wires it in.
/// </summary>
public static class ExperimentalVariants
{
    /// <summary>Names the one experimental variant the harness and the speed suite should take.</summary>
    public const string EnvironmentVariable = "EMBED_VARIANT";

    private static readonly Lock Gate = new();
    private static readonly List<ExperimentalVariant> Registered = [.. ResearchVariants.All];

    /// <summary>Every registered variant, in registration order.</summary>
    public static IReadOnlyList<ExperimentalVariant> All
    {
        get
        {
            lock (Gate) return [.. Registered];
        }
    }

    /// <summary>The variant <see cref="EnvironmentVariable"/> names, or null when it is unset.</summary>
    /// <exception cref="ArgumentException">It names no registered variant.</exception>
    public static ExperimentalVariant? Requested =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } name ? Find(name) : null;

    /// <summary>Adds a variant of <paramref name="kernel"/> called <paramref name="name"/>.</summary>
    /// <typeparam name="T">The kernel's variant signature.</typeparam>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public static ExperimentalVariant Register<T>(string kernel, string name, T function, Isa requires) where T : Delegate
    {
        var variant = new ExperimentalVariant(kernel, name, function, requires);
        lock (Gate)
        {
            if (Registered.Exists(v => v.Name == name))
                throw new ArgumentException($"An experimental variant called '{name}' is already registered.", nameof(name));
            Registered.Add(variant);
        }
        return variant;
    }

    /// <summary>Removes <paramref name="variant"/>: a test's throwaway variant must not reach later runs of the speed suite.</summary>
    public static void Unregister(ExperimentalVariant variant)
    {
        lock (Gate) Registered.Remove(variant);
    }

    /// <summary>The variant called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No variant has that name; the message lists the ones there are.</exception>
    public static ExperimentalVariant Find(string name)
    {
        IReadOnlyList<ExperimentalVariant> all = All;
        return all.FirstOrDefault(v => v.Name == name) ?? throw new ArgumentException(
            $"No experimental variant '{name}'; registered: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(v => v.Name)))}.");
    }

    /// <summary>The registered variants of <paramref name="kernel"/>.</summary>
    public static IReadOnlyList<ExperimentalVariant> Of(string kernel) => [.. All.Where(v => v.Kernel == kernel)];
}
