using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// Trains GloVe (Pennington et al. 2014) on a co-occurrence matrix, as Stanford GloVe's glove.c does: weighted
/// least squares on log counts, AdaGrad per weight, lock-free worker threads over a shuffled entry order.
/// </summary>
public static class GloVeTrainer
{
    /// <summary>Trains vectors for <paramref name="vocabulary"/> from <paramref name="counts"/>.</summary>
    /// <param name="counts">The co-occurrence matrix; one row and column per vocabulary word.</param>
    /// <param name="vocabulary">The vocabulary the matrix was counted with; its words key the result.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.
    /// Its words are co-occurrence entries (nonzeros × epochs in all) and its loss the mean weighted cost per entry since the previous call.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="ArgumentException">Bad options, a vocabulary that does not fit the matrix, or an empty matrix.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (a cost came out NaN or infinite).</exception>
    public static GloVeResult Train(CsrMatrix counts, Vocabulary vocabulary, GloVeOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
        => Train(counts, vocabulary, options, device: null, onProgress, progressInterval, cancellation: cancellation);

    /// <summary>
    /// Trains on <paramref name="device"/> (null: the CPU threads). On a GPU the weights stay on the device from the
    /// same starting values to the end; the entries are shuffled on the CPU as for one thread and streamed to it in
    /// batches (<see cref="GloVeGpuWorker"/>). The co-occurrence counting before stays on the CPU.
    /// </summary>
    /// <param name="counts">The co-occurrence matrix; one row and column per vocabulary word.</param>
    /// <param name="vocabulary">The vocabulary the matrix was counted with; its words key the result.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="device">The GPU to train on; null: the CPU.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="checkpoint">Writes checkpoints (steps are entries) and resumes from one; CPU runs only. Null: neither.</param>
    /// <param name="ranks">
    /// One rank of an <c>mpirun</c> job: trains this rank's part of the shuffled entries and keeps the weights in step
    /// with the other ranks; every rank returns the same vectors. Null: one process.
    /// </param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is another trainer's or of other options or another matrix.</exception>
    public static GloVeResult Train(CsrMatrix counts, Vocabulary vocabulary, GloVeOptions options, GpuDevice? device,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CheckpointSettings? checkpoint = null,
        RowDeltaSync? ranks = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(vocabulary);
        options.Validate();
        if (device != null && ranks != null)
            throw new ArgumentException("Distributed GloVe synchronises the weights in host memory: use --device cpu with --distributed.");
        if (device != null && checkpoint != null)
            throw new ArgumentException("GloVe checkpoints are written on the CPU only: drop --checkpoint and --resume, or use --device cpu");
        CooccurrenceInput.EnsureFits(counts, vocabulary);
        GloVeEntry[] entries = GloVeEntries.From(counts);
        if (entries.Length == 0) throw new ArgumentException("the co-occurrence matrix has no positive entries to train on");

        var weights = new GloVeWeights(vocabulary.Count, options.Dimension, options.Seed);
        try
        {
            TimeSpan interval = progressInterval ?? TimeSpan.FromSeconds(1);
            TrainingProgress final;
            if (device == null)
            {
                // Named before the shuffle, so it names the matrix whatever the order.
                string fingerprint = $"{options}, {GloVeEntries.Identity(entries)}";
                ranks?.RequireAgreement($"GloVe {fingerprint}");
                ranks?.Attach([weights.Word, weights.Context, weights.GradSqWord, weights.GradSqContext], counters: 1,
                    [weights.WordBias, weights.ContextBias, weights.GradSqWordBias, weights.GradSqContextBias]);
                using var run = new GloVeRun(entries, options, options.Threads, ranks);
                final = run.Execute(seed => new GloVeWorker(options, weights, seed), onProgress, interval, cancellation,
                    checkpoint == null ? null : Checkpoint(checkpoint, fingerprint, weights));
            }
            else
            {
                using var submissions = new GpuSubmissions(device);
                using var deviceWeights = new GloVeDeviceWeights(device, weights);
                using var run = new GloVeRun(entries, options, threads: 1);
                final = run.Execute(
                    seed => new GloVeGpuWorker(options, submissions, deviceWeights.Parameters, seed), onProgress, interval, cancellation);
                deviceWeights.CopyVectorsTo(device, weights);
            }
            var vectors = new KeyedVectors(vocabulary.Words, weights.Detach(options.Output));
            return new GloVeResult(vectors, final);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static WeightsCheckpoint Checkpoint(CheckpointSettings settings, string fingerprint, GloVeWeights weights) =>
        new(settings, "GloVe", fingerprint,
            [new("word", weights.Word), new("context", weights.Context), new("grad_sq_word", weights.GradSqWord), new("grad_sq_context", weights.GradSqContext)],
            [new("word_bias", weights.WordBias), new("context_bias", weights.ContextBias),
             new("grad_sq_word_bias", weights.GradSqWordBias), new("grad_sq_context_bias", weights.GradSqContextBias)]);
}
