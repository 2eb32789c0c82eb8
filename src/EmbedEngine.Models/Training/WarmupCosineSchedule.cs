namespace EmbedEngine.Models.Training;

/// <summary>
/// Linear warm-up then cosine decay, as nanoGPT: lr = peak·(it + 1)/(warmup + 1) for it &lt; warmup, then
/// min + ½(1 + cos πr)(peak − min) with r = (it − warmup)/(total − warmup), so the last iteration's rate is
/// (almost) min; never below min after <paramref name="Total"/>.
/// </summary>
/// <param name="Peak">The rate at the end of the warm-up.</param>
/// <param name="Minimum">The rate the decay ends at.</param>
/// <param name="Warmup">Warm-up iterations.</param>
/// <param name="Total">The iteration at which the decay reaches <paramref name="Minimum"/>.</param>
public readonly record struct WarmupCosineSchedule(float Peak, float Minimum, int Warmup, int Total)
{
    /// <summary>The learning rate of iteration <paramref name="iteration"/> (0-based).</summary>
    public float At(int iteration)
    {
        if (iteration < Warmup) return (float)((double)Peak * (iteration + 1) / (Warmup + 1));
        if (iteration >= Total) return Minimum;
        double r = (double)(iteration - Warmup) / (Total - Warmup);
        return (float)(Minimum + 0.5 * (1 + Math.Cos(Math.PI * r)) * (Peak - Minimum));
    }
}
