namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>Where timed calls leave their results, so the JIT cannot find them unused and drop the work that made them.</summary>
internal static class Sink
{
    /// <summary>The last result stored.</summary>
    public static float Result { get; set; }
}
