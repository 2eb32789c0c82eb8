using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EmbedEngine.Kernels.Speed.Probes;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Kernels.Speed;

/// <summary>What one speed run measures.</summary>
/// <param name="Kernels">Comma-separated kernel names or globs (<c>Dot,*Sgns*</c>), case-insensitive; null: every kernel.</param>
/// <param name="Seconds">Time for all the kernel measurements together; the probes and the setup take a few seconds more.</param>
/// <param name="Variant">An experimental variant: only its kernel is run, with it beside the shipped variants; null: every registered one.</param>
public sealed record SpeedSettings(string? Kernels, double Seconds, ExperimentalVariant? Variant);

/// <summary>
/// <c>embed bench speed</c>: every selected kernel's variants on the standard shapes, each warmed up and timed for an
/// equal share of the budget, with the machine's FMA peak and memory bandwidth probed in the same run.
/// </summary>
public static class SpeedSuite
{
    /// <summary>Runs the suite; <paramref name="progress"/> gets one line per case.</summary>
    /// <exception cref="ArgumentException">The pattern matches no kernel, or the budget is not positive.</exception>
    public static SpeedReport Run(SpeedSettings settings, TextWriter progress)
    {
        if (!(settings.Seconds > 0)) throw new ArgumentException($"--seconds must be positive, not {settings.Seconds}.");
        IReadOnlyList<SpeedEntry> entries = Select(settings);
        TimeSpan probeBudget = TimeSpan.FromSeconds(Math.Min(1, settings.Seconds / 30));
        progress.WriteLine("probing FMA peak and memory bandwidth");
        MachinePeaks peaks = MachinePeaks.Measure(probeBudget);
        double overhead = SpeedTimer.MedianSeconds(Nothing, probeBudget);

        var cases = entries.Select(e => e.Create()).ToList();
        try
        {
            var variants = cases.Select(c => Variants(c, settings.Variant)).ToList();
            TimeSpan share = TimeSpan.FromSeconds(settings.Seconds / variants.Sum(v => v.Count));
            var rows = new List<SpeedRow>();
            for (int i = 0; i < cases.Count; i++)
            {
                progress.WriteLine($"timing {cases[i].Kernel} {cases[i].Shape}");
                rows.AddRange(Measure(cases[i], variants[i], share, peaks, overhead));
            }
            return new SpeedReport(peaks, overhead, rows);
        }
        finally
        {
            foreach (SpeedCase c in cases) c.Dispose();
        }
    }

    /// <summary>The catalogue entries the settings select.</summary>
    private static List<SpeedEntry> Select(SpeedSettings settings)
    {
        Regex? pattern = settings.Kernels is { Length: > 0 } p ? Glob(p) : null;
        var selected = SpeedCatalogue.Entries
            .Where(e => pattern == null || pattern.IsMatch(e.Kernel))
            .Where(e => settings.Variant == null || e.Kernel == settings.Variant.Kernel)
            .ToList();
        if (selected.Count == 0)
        {
            string[] asked = [.. new[]
            {
                settings.Kernels is null ? null : $"--kernels '{settings.Kernels}'",
                settings.Variant is null ? null : $"variant {settings.Variant.Name} (kernel {settings.Variant.Kernel})",
            }.OfType<string>()];
            throw new ArgumentException(
                $"{string.Join(" with ", asked)} matches no kernel of the speed suite; kernels: {string.Join(", ", SpeedCatalogue.Kernels)}.");
        }
        return selected;
    }

    /// <summary>The case's shipped variants and either every experimental one or only the requested one.</summary>
    private static List<SpeedVariant> Variants(SpeedCase speedCase, ExperimentalVariant? requested) =>
        [.. speedCase.Variants.Where(v => !v.Experimental || requested == null || v.Name == requested.Name)];

    /// <summary>Times every variant of one case (<see cref="SpeedTimer.SecondsPerCall"/>).</summary>
    private static IEnumerable<SpeedRow> Measure(SpeedCase speedCase, List<SpeedVariant> variants, TimeSpan share, MachinePeaks peaks,
        double overhead)
    {
        var seconds = variants.Select(v => SpeedTimer.SecondsPerCall(v.Run, speedCase.CallsPerRun, share, overhead)).ToList();
        double scalar = seconds[0];
        for (int i = 0; i < variants.Count; i++)
        {
            double rate = speedCase.Work.Amount / seconds[i] / 1e9;
            double? percent = variants[i].Name == "gpu" ? null
                : 100 * rate / (speedCase.Work.Unit == WorkUnit.Flops ? peaks.FlopsPeak : peaks.BandwidthGBs);
            yield return new SpeedRow(speedCase.Kernel, speedCase.Shape, variants[i].Name, seconds[i], scalar / seconds[i], rate,
                speedCase.Work.Unit, percent);
        }
    }

    /// <summary>
    /// The empty run whose time is invoking a run in the timer's loop, taken off each run's time before it is divided
    /// by its calls; never inlined, so that cost is not optimized away.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Nothing()
    {
    }

    /// <summary>A case-insensitive regex for comma-separated globs (<c>*</c> any run, <c>?</c> one character).</summary>
    private static Regex Glob(string pattern)
    {
        IEnumerable<string> alternatives = pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => Regex.Escape(g).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal));
        return new Regex($"^(?:{string.Join('|', alternatives)})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
