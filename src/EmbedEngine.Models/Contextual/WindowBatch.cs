using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// The reused input and target arrays of a batch of windows over a token sequence. A causal window of length T
/// reads T + 1 tokens (inputs the first T, targets the last T); a BERT window is [CLS] and T − 1 tokens, masked,
/// with targets at the masked positions.
/// </summary>
internal sealed class WindowBatch
{
    private readonly ContextualConfig _config;
    private readonly float _maskProbability;
    private readonly int[] _positions;

    public WindowBatch(ContextualConfig config, int batch, int length, float maskProbability)
    {
        _config = config;
        _maskProbability = maskProbability;
        Batch = batch;
        Length = length;
        Inputs = new int[batch * length];
        Targets = new int[batch * length];
        _positions = new int[length];
    }

    /// <summary>Windows.</summary>
    public int Batch { get; }

    /// <summary>Positions per window.</summary>
    public int Length { get; }

    /// <summary>Input ids, window after window.</summary>
    public int[] Inputs { get; }

    /// <summary>Target ids (or the ignore index), window after window.</summary>
    public int[] Targets { get; }

    /// <summary>Tokens of the sequence a window of <paramref name="length"/> positions reads.</summary>
    public static int Span(ContextualConfig config, int length) => config.IsCausal ? length + 1 : length - 1;

    /// <summary>Fills every window from a uniformly random offset of <paramref name="tokens"/>.</summary>
    public void FillRandom(int[] tokens, ref FastRandom random)
    {
        int span = Span(_config, Length);
        for (int row = 0; row < Batch; row++) Fill(row, tokens, random.NextInt(tokens.Length - span + 1), ref random);
    }

    /// <summary>Fills window <paramref name="row"/> from <paramref name="offset"/> of <paramref name="tokens"/>; BERT masks with <paramref name="random"/>.</summary>
    public void Fill(int row, int[] tokens, int offset, ref FastRandom random)
    {
        Span<int> inputs = Inputs.AsSpan(row * Length, Length), targets = Targets.AsSpan(row * Length, Length);
        if (_config.IsCausal)
        {
            tokens.AsSpan(offset, Length).CopyTo(inputs);
            tokens.AsSpan(offset + 1, Length).CopyTo(targets);
            return;
        }
        inputs[0] = _config.ClassToken;
        tokens.AsSpan(offset, Length - 1).CopyTo(inputs[1..]);
        MaskedTokens.Apply(inputs, targets, _config, _maskProbability, ref random, _positions);
    }
}
