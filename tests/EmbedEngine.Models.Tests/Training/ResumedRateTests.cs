using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Training;

/// <summary>A resumed run's rate and ETA count the words it trained itself, not those its checkpoint had done.</summary>
public sealed class ResumedRateTests
{
    [Fact]
    public void The_rate_leaves_out_the_words_of_the_checkpoint_resumed_from()
    {
        var progress = new TrainingProgress(1_000, 2_000, 1, 0.01f, 1.0, TimeSpan.FromSeconds(2)) { ResumedWords = 600 };
        Assert.Equal(200, progress.WordsPerSecond, 9);
        Assert.Equal(TimeSpan.FromSeconds(5), progress.Remaining);
    }

    [Fact]
    public void Validated_iterations_resumed_at_a_step_report_only_the_steps_taken_since()
    {
        var snapshots = new List<TrainingProgress>();
        TrainingProgress final = ValidatedIterations.Run(iterations: 10, evalInterval: 5, unitsPerStep: 100, step: _ => 1f, learningRate: () => 0.1f,
            validate: _ => 2.0, snapshots.Add, TimeSpan.Zero, CancellationToken.None, firstIteration: 4);
        Assert.Equal(1_000, final.WordsProcessed);
        Assert.Equal(400, final.ResumedWords);
        Assert.All(snapshots, s => Assert.Equal(400, s.ResumedWords));
        // 6 steps of 100 units in the elapsed time, not 10.
        Assert.Equal(600 / final.Elapsed.TotalSeconds, final.WordsPerSecond, 6);
    }
}
