using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// One optimizer step of a language model: a batch of random windows, the loss, backward, global-norm clipping
/// and AdamW at the scheduled rate. Arrays, tensors and the graph are reused, so steps after the first allocate
/// nothing.
/// </summary>
internal sealed class ContextualTrainingStep : IDisposable
{
    private readonly LanguageModel _model;
    private readonly int[] _tokens;
    private readonly Adam _optimizer;
    private readonly WindowBatch _batch;
    private readonly WarmupCosineSchedule _schedule;
    private readonly float _clipNorm;
    private FastRandom _random;

    public ContextualTrainingStep(LanguageModel model, int[] tokens, ContextualTrainingOptions options)
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
    }

    /// <summary>Tokens one step trains on.</summary>
    public int TokensPerStep => _batch.Batch * _batch.Length;

    /// <summary>The learning rate of the last step.</summary>
    public float LearningRate { get; private set; }

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
        return value;
    }

    public void Dispose() => _optimizer.Dispose();
}
