namespace EmbedEngine.Distributed;

/// <summary>How a collective call waits for the other ranks.</summary>
public enum MpiWaiting
{
    /// <summary>Busy-polls, as MPI does: answers soonest, for sums on the critical path between training steps.</summary>
    Spin,

    /// <summary>
    /// Sleeps between polls: leaves the core to training threads while a rank ahead waits for one behind, for the
    /// synchronisation rounds that run beside Hogwild workers (a spinning wait on 2 cores took one of them).
    /// </summary>
    Sleep,
}
