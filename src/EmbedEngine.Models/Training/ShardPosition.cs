using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Where one worker of a <see cref="ShardedTraining"/> run stands between sentences: the ticket of the block in hand
/// (its epoch and block; −1 before the first), sentences read of that block, and the words and sentences it has trained but not yet added to the shared counts (the learning rate
/// falls only as they are added, so a resumed run must add them at the same moment).
/// </summary>
internal sealed class ShardPosition
{
    public long Ticket = -1;
    public long Sentence;
    public long UnpublishedWords;
    public long UnpublishedSentences;

    /// <summary>A new position equal to this one, allocated by the calling thread.</summary>
    public ShardPosition Copy() => (ShardPosition)MemberwiseClone();

    /// <summary>Writes this position, and the worker's <paramref name="randomState"/>, under <c>shard.{shard}.</c>.</summary>
    public void SaveTo(Dictionary<string, string> position, int shard, ulong randomState)
    {
        string prefix = $"shard.{shard}.";
        position[prefix + "ticket"] = TrainingCheckpoint.Invariant(Ticket);
        position[prefix + "sentence"] = TrainingCheckpoint.Invariant(Sentence);
        position[prefix + "unpublished_words"] = TrainingCheckpoint.Invariant(UnpublishedWords);
        position[prefix + "unpublished_sentences"] = TrainingCheckpoint.Invariant(UnpublishedSentences);
        position[prefix + "rng"] = TrainingCheckpoint.GeneratorText(randomState);
    }

    /// <summary>Shard <paramref name="shard"/>'s position in <paramref name="saved"/>, and its worker's random state.</summary>
    public static (ShardPosition Position, ulong RandomState) Load(SafetensorsContents saved, int shard)
    {
        string prefix = $"shard.{shard}.";
        var position = new ShardPosition
        {
            Ticket = TrainingCheckpoint.Number(saved, prefix + "ticket"),
            Sentence = TrainingCheckpoint.Number(saved, prefix + "sentence"),
            UnpublishedWords = TrainingCheckpoint.Number(saved, prefix + "unpublished_words"),
            UnpublishedSentences = TrainingCheckpoint.Number(saved, prefix + "unpublished_sentences"),
        };
        return (position, TrainingCheckpoint.GeneratorState(saved, prefix + "rng"));
    }
}
