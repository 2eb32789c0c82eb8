namespace EmbedEngine.Models.Training;

/// <summary>One training thread of a static-vector trainer, as <see cref="ShardedTraining"/> drives it.</summary>
internal interface ISentenceWorker : ILossCounter
{
    /// <summary>Trains on one sentence of vocabulary ids with learning rate <paramref name="learningRate"/>.</summary>
    void TrainSentence(ReadOnlySpan<int> sentence, float learningRate);

    /// <summary>Called once after the worker's last sentence: a GPU worker hands over the batch it is still building.</summary>
    void Finish()
    {
    }

    /// <summary>
    /// Writes what the worker trains privately (<see cref="StagedRows"/>) into the shared weights: before a checkpoint
    /// is saved and after <see cref="Finish"/>.
    /// </summary>
    void Flush()
    {
    }
}
