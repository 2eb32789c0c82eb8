namespace EmbedEngine.Models.Training;

/// <summary>
/// Where and how often a trainer writes its checkpoint (atomically, replacing the last one), and the checkpoint it
/// resumes from. A checkpoint is due every <see cref="EverySteps"/> steps or once <see cref="Every"/> has passed since
/// the last one, whichever comes first; zero turns either off.
/// </summary>
/// <param name="Path">The checkpoint file; null: none written.</param>
/// <param name="EverySteps">Steps between checkpoints (0: not by steps).</param>
/// <param name="Every">Time between checkpoints (zero: not by time).</param>
/// <param name="ResumeFrom">A checkpoint to continue from; null: start afresh.</param>
public sealed record CheckpointSettings(string? Path, int EverySteps = 0, TimeSpan Every = default, string? ResumeFrom = null)
{
    /// <summary>Whether step <paramref name="step"/> should write one, <paramref name="sinceLast"/> after the last.</summary>
    public bool Due(long step, TimeSpan sinceLast) => Due(step - 1, step, sinceLast);

    /// <summary>
    /// Whether one should be written as the count moves from <paramref name="previous"/> to <paramref name="step"/>,
    /// <paramref name="sinceLast"/> after the last: for runs that count many steps at once (words, entries).
    /// </summary>
    public bool Due(long previous, long step, TimeSpan sinceLast) =>
        Path != null && ((EverySteps > 0 && step / EverySteps > previous / EverySteps) || (Every > TimeSpan.Zero && sinceLast >= Every));
}
