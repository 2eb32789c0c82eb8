using System.Diagnostics;
using EmbedEngine.Evaluation;

namespace EmbedEngine.Cli.Bench;

/// <summary>One job's figures.</summary>
/// <param name="Job">Its name.</param>
/// <param name="Seconds">Wall time of the whole job: vocabulary, counting, training.</param>
/// <param name="Rate">Training rate in <paramref name="Unit"/> per second.</param>
/// <param name="Unit">words (word2vec, fastText) or co-occurrence entries (GloVe).</param>
/// <param name="PeakBytes">Peak working set during the job.</param>
/// <param name="PeakIsJobs">Whether the peak is this job's alone (false: the process's since it started).</param>
/// <param name="Analogy">Analogy accuracy on the sample's questions, 0–1.</param>
/// <param name="Answered">Questions answered (all four words in the vocabulary).</param>
internal sealed record TrainRow(string Job, double Seconds, double Rate, string Unit, long PeakBytes, bool PeakIsJobs, double Analogy, int Answered);

/// <summary><c>embed bench train</c>: each selected job on the same corpus and budget, with its speed, memory and quality.</summary>
internal static class TrainSuite
{
    /// <exception cref="ArgumentException">The job list names an unknown job.</exception>
    public static IReadOnlyList<TrainRow> Run(IReadOnlyList<string> jobs, TrainBudget budget, string questions, TextWriter progress,
        CancellationToken cancellation)
    {
        var selected = jobs.Select(name => TrainJobs.All.FirstOrDefault(j => j.Name == name) ?? throw new ArgumentException(
            $"--jobs: no job '{name}'; jobs: {string.Join(", ", TrainJobs.All.Select(j => j.Name))}.")).ToList();
        var rows = new List<TrainRow>();
        foreach (TrainJob job in selected)
        {
            progress.WriteLine($"training {job.Name}");
            bool own = PeakMemory.Reset();
            var clock = Stopwatch.StartNew();
            TrainedVectors trained = job.Train(budget, cancellation);
            using (trained.Vectors)
            {
                double seconds = clock.Elapsed.TotalSeconds;
                long peak = PeakMemory.Bytes();
                AnalogyReport analogy = AnalogyEvaluator.Evaluate(trained.Vectors, questions, restrictTo: 30000);
                rows.Add(new TrainRow(job.Name, seconds, trained.Final.WordsPerSecond, trained.Unit, peak, own, analogy.Accuracy, analogy.Answered));
            }
        }
        return rows;
    }
}
