namespace EmbedEngine.Models.Training;

/// <summary>
/// A CPU worker whose whole state between units of work is its random source: a checkpoint saves it and a resumed
/// run builds the worker from it in place of a seed (a GPU worker also holds a batch in flight, so it is not one).
/// </summary>
internal interface IResumableWorker
{
    /// <summary>Where the worker's random sequence stands (<see cref="FastRandom.State"/>).</summary>
    ulong RandomState { get; }
}
