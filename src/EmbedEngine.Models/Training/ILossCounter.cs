namespace EmbedEngine.Models.Training;

/// <summary>What a Hogwild worker keeps for progress lines: its own running loss and what that loss covers.</summary>
internal interface ILossCounter
{
    /// <summary>Summed loss so far; written by the worker's thread only.</summary>
    double LossSum { get; }

    /// <summary>Predictions (or examples) behind <see cref="LossSum"/>.</summary>
    long Predictions { get; }
}
