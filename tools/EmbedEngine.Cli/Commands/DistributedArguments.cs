using System.CommandLine;
using System.Globalization;
using EmbedEngine.Distributed;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>--distributed</c>: one rank of a job started by <c>mpirun -np N</c>. Rank 0 alone prints and writes; a rank that
/// fails says why and ends the whole job, so no rank waits for it forever.
/// </summary>
internal sealed class DistributedArguments(string description)
{
    public Option<bool> Distributed { get; } = new("--distributed") { Description = description };

    /// <summary>--distributed of the trainers that stream a corpus (word2vec, fastText).</summary>
    public static DistributedArguments CorpusShards() =>
        new("One rank of a job started by mpirun -np N: each rank trains its shards of the corpus and the ranks sum their changes to the rows every --sync-words; rank 0 prints and writes.");

    /// <summary>--distributed of the trainers that share each batch of windows among the ranks (the language models).</summary>
    public static DistributedArguments SharedWindows() =>
        new("One rank of a data-parallel run started by mpirun -np N: every rank draws the same batch of windows and trains its share of them, gradients are summed across ranks; rank 0 prints and writes.");

    /// <summary>--sync-words: how often the ranks of a corpus trainer synchronise.</summary>
    public static Option<long> SyncWords() =>
        new("--sync-words") { Description = "With --distributed: words each rank trains between synchronisations.", DefaultValueFactory = _ => 25_000 };

    /// <summary>
    /// Runs <paramref name="train"/>(world, output, error) as one process (world null) or as this rank of the job, with
    /// the writers silenced on every rank but 0.
    /// </summary>
    public static int Run(bool distributed, TextWriter output, TextWriter error, Func<MpiWorld?, TextWriter, TextWriter, int> train)
    {
        if (!distributed) return train(null, output, error);
        using MpiWorld world = MpiWorld.Start();
        bool lead = world.Rank == 0;
        try
        {
            return train(world, lead ? output : TextWriter.Null, lead ? error : TextWriter.Null);
        }
        catch (Exception e)
        {
            error.WriteLine($"embed: rank {world.Rank} of {world.Size}: {e.Message}");
            error.Flush();
            world.Abort(ExitCodes.BadInput);
            throw;
        }
    }

    /// <summary>The checkpoints of one rank: every rank resumes from the same one, rank 0 (the <paramref name="lead"/>) alone writes them.</summary>
    public static CheckpointSettings? CheckpointsOfRank(CheckpointSettings? checkpoint, bool lead) =>
        lead || checkpoint == null ? checkpoint : checkpoint with { Path = null };

    /// <summary>One line on the gradients summed for a data-parallel trainer's steps.</summary>
    public static void Summarize(DataParallelStep ranks, TimeSpan elapsed, TextWriter output) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ranks.Size} ranks: {ranks.FloatsPerStep * sizeof(float) / 1e6:F2} MB of gradients summed{(ranks.GatheredFloatsPerStep > 0 ? $" and {ranks.GatheredFloatsPerStep * sizeof(float) / 1e6:F2} MB of embeddings gathered" : "")} per step, {ranks.WaitingTime.TotalSeconds:F1} s of {elapsed.TotalSeconds:F1} s waiting for sums after the backward passes on rank 0"));

    /// <summary>One line on the rounds that kept the ranks' rows in step.</summary>
    public static void Summarize(RowDeltaSync ranks, TimeSpan elapsed, TextWriter output) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ranks.Size} ranks: {ranks.Rounds} synchronisation rounds, {ranks.BytesPerRound / 1e6:F2} MB per rank per round, {ranks.TimeInRounds.TotalSeconds:F1} s of {elapsed.TotalSeconds:F1} s in rounds on rank 0"));
}
