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
    private FastRandom _random;

    /// <param name="model">The model, on the device it trains on.</param>
    /// <param name="tokens">The training text's token ids.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="checkpoint">Where and when to write checkpoints, and one to <see cref="Resume"/> from (null: neither).</param>
    public ContextualTrainingStep(LanguageModel model, int[] tokens, ContextualTrainingOptions options, CheckpointSettings? checkpoint = null)
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
                $"{options}, {NetworkCheckpoint.WeightsIdentity(model)}, training tokens {DataIdentity.Of(tokens)}", model, _optimizer);
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
        Tensor loss = _model.Loss(_batch.Inputs, _batch.Targets, _batch.Batch, _batch.Length);
        float value = loss.Item();
        loss.Backward();
        _optimizer.ClipGradientNorm(_clipNorm);
        LearningRate = _schedule.At(iteration);
        _optimizer.Settings = _optimizer.Settings with { LearningRate = LearningRate };
        _optimizer.Step();
        if (_checkpoints?.Due == true) _checkpoints.Save(_random.State);
        return value;
    }

    public void Dispose() => _optimizer.Dispose();
}
