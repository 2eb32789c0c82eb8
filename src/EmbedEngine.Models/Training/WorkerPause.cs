using System.Diagnostics;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Brings Hogwild workers to a consistent point when a checkpoint falls due: each finishes its unit of work (a
/// sentence, a chunk of entries) and waits; the last to arrive writes the checkpoint while no weight moves, and all go
/// on. A worker out of work leaves, so nobody waits for it.
/// </summary>
internal sealed class WorkerPause : IDisposable
{
    private readonly CheckpointSettings _settings;
    private readonly Barrier _barrier;
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private long _lastStep;
    private volatile bool _requested;

    /// <param name="workers">Threads that will <see cref="Wait"/> or <see cref="Leave"/>.</param>
    /// <param name="settings">When checkpoints fall due.</param>
    /// <param name="firstStep">The step count the run starts from (a resumed run's).</param>
    /// <param name="save">Writes the checkpoint; called while every worker waits.</param>
    public WorkerPause(int workers, CheckpointSettings settings, long firstStep, Action save)
    {
        _settings = settings;
        _lastStep = firstStep;
        _barrier = new Barrier(workers, _ =>
        {
            save();
            _sinceLast.Restart();
            _requested = false;
        });
    }

    /// <summary>Whether workers should <see cref="Wait"/> at their next consistent point.</summary>
    public bool Requested => _requested;

    /// <summary>Called as progress is published: asks for a pause when a checkpoint falls due at <paramref name="step"/>.</summary>
    public void Offer(long step)
    {
        long previous = Interlocked.Exchange(ref _lastStep, step);
        if (_settings.Due(previous, step, _sinceLast.Elapsed)) _requested = true;
    }

    /// <summary>Waits, at a consistent point, until the checkpoint is written.</summary>
    public void Wait(CancellationToken stop) => _barrier.SignalAndWait(stop);

    /// <summary>Called by a worker with no work left (its state final), so pauses no longer wait for it.</summary>
    public void Leave() => _barrier.RemoveParticipant();

    /// <inheritdoc/>
    public void Dispose() => _barrier.Dispose();
}
