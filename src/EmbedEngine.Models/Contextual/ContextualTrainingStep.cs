using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// One optimizer step of a language model: a batch of random windows, the loss, backward, global-norm clipping
/// and AdamW at the scheduled rate. Arrays, tensors and the graph are reused, so steps after the first allocate
/// nothing. With checkpoint settings it writes checkpoints after the steps they fall due at, and resumes from one.
/// As one rank of data-parallel training it draws the whole batch (the same windows and masks on every rank, from
/// the same seed), computes the loss of its share of the windows, and sums the gradients across ranks before the
/// clipping and the update, so every rank takes the step one process takes.
/// </summary>
internal sealed class ContextualTrainingStep : IDisposable
{
    private readonly LanguageModel _model;
    private readonly int[] _tokens;
    private readonly Adam _optimizer;
    private readonly WindowBatch _batch;
    private readonly WarmupCosineSchedule _schedule;
    private readonly float _clipNorm;
    private readonly NetworkCheckpoint? _checkpoints;
    private readonly DataParallelStep? _ranks;
    private readonly int _firstWindow;
    private readonly int[] _shareInputs = [], _shareTargets = [];
    private FastRandom _random;

    /// <param name="model">The model, on the device it trains on.</param>
    /// <param name="tokens">The training text's token ids.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="checkpoint">Where and when to write checkpoints, and one to <see cref="Resume"/> from (null: neither).</param>
    /// <param name="ranks">This rank's part in data-parallel training (null: one process).</param>
    public ContextualTrainingStep(LanguageModel model, int[] tokens, ContextualTrainingOptions options, CheckpointSettings? checkpoint = null,
        DataParallelStep? ranks = null)
    {
        options.Validate();
        ContextualConfig config = model.Config;
        if (tokens.Length < WindowBatch.Span(config, config.Context))
            throw new ArgumentException($"The training text has {tokens.Length} tokens; one window needs {WindowBatch.Span(config, config.Context)}.");
        _model = model;
        _tokens = tokens;
        _batch = new WindowBatch(config, options.BatchSize, config.Context, options.MaskProbability);
        _schedule = new WarmupCosineSchedule(options.LearningRate, options.MinLearningRate, options.WarmupIterations, options.Iterations);
        _clipNorm = options.ClipNorm;
        _random = new FastRandom((ulong)options.Seed);
        var settings = new AdamSettings(options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, Decoupled: true);
        _optimizer = new Adam(WeightDecayGroups.Of(model, options.WeightDecay), settings);
        if (checkpoint != null)
            _checkpoints = new NetworkCheckpoint(checkpoint, $"a {ContextualCheckpoint.KindName(config.Kind)} language model",
                ContextualTrainer.Identity(model, tokens, options), model, _optimizer);
        if (ranks == null) return;
        _ranks = ranks;
        // The batch is at least the job's size (DataParallelStep refuses less), so every rank has windows.
        (_firstWindow, int windows) = ranks.Share(options.BatchSize);
        _shareInputs = new int[windows * config.Context];
        _shareTargets = new int[windows * config.Context];
    }

    /// <summary>Tokens one step trains on.</summary>
    public int TokensPerStep => _batch.Batch * _batch.Length;

    /// <summary>The learning rate of the last step.</summary>
    public float LearningRate { get; private set; }

    /// <summary>Restores the model, the optimizer and the windows' generator from the checkpoint to resume from; returns the iterations it had done (0: none to resume).</summary>
    /// <exception cref="FileNotFoundException">No such checkpoint.</exception>
    /// <exception cref="InvalidDataException">A broken checkpoint, or one of another model, other options or text.</exception>
    public int Resume()
    {
        using SafetensorsContents? saved = _checkpoints?.Restore();
        if (saved == null) return 0;
        _random = new FastRandom(NetworkCheckpoint.RandomState(saved));
        return _optimizer.Steps;
    }

    /// <summary>Takes the step of iteration <paramref name="iteration"/> (0-based); returns the batch's mean loss.</summary>
    public float Step(int iteration)
    {
        _batch.FillRandom(_tokens, ref _random);
        _optimizer.ZeroGrad();
        float value = _ranks == null ? OwnStep() : ShareStep(_ranks);
        _optimizer.ClipGradientNorm(_clipNorm);
        LearningRate = _schedule.At(iteration);
        _optimizer.Settings = _optimizer.Settings with { LearningRate = LearningRate };
        _optimizer.Step();
        if (_checkpoints?.Due == true) _checkpoints.Save(_random.State);
        return value;
    }

    private float OwnStep()
    {
        Tensor loss = _model.Loss(_batch.Inputs, _batch.Targets, _batch.Batch, _batch.Length);
        float value = loss.Item();
        loss.Backward();
        return value;
    }

    /// <summary>This rank's windows' backward pass, with the gradients summed into the whole batch's; returns the batch's mean loss.</summary>
    private float ShareStep(DataParallelStep ranks)
    {
        int start = _firstWindow * _batch.Length;
        _batch.Inputs.AsSpan(start, _shareInputs.Length).CopyTo(_shareInputs);
        _batch.Targets.AsSpan(start, _shareTargets.Length).CopyTo(_shareTargets);
        Tensor loss = _model.Loss(_shareInputs, _shareTargets, _shareInputs.Length / _batch.Length, _batch.Length);
        // The loss is a mean over the targets it counts (BERT's masked positions): each rank weighs by its share of them.
        return (float)ranks.Backward(loss, _optimizer.Parameters, loss.Item(), Counted(_shareTargets), Counted(_batch.Targets));
    }

    private static int Counted(int[] targets) => targets.Length - targets.AsSpan().Count(MaskedTokens.Ignored);

    public void Dispose() => _optimizer.Dispose();
}
