using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Contextual;

/// <summary>Decodes with an LSTM language model's carried states: the prompt in one pass, then one step per token, at any length.</summary>
internal sealed class LstmDecoder : ITokenDecoder
{
    private readonly LstmLanguageModel _model;
    private readonly LstmState _state;
    private readonly float[] _logits;
    private readonly int[] _one = new int[1];
    private bool _started;

    public LstmDecoder(LstmLanguageModel model)
    {
        _model = model;
        _state = new LstmState(model.Config.Layers, batch: 1, model.Config.Dimension);
        _logits = new float[model.Config.TableRows];
        model.Eval();
    }

    public ReadOnlySpan<float> Start(ReadOnlySpan<int> prompt)
    {
        if (prompt.IsEmpty) throw new ArgumentException("The prompt is empty: generation needs at least one token to start from.");
        _state.Reset();
        _started = true;
        return Run(prompt.ToArray());
    }

    public ReadOnlySpan<float> Append(int token)
    {
        if (!_started) throw new InvalidOperationException("Call Start with a prompt first.");
        _one[0] = token;
        return Run(_one);
    }

    public void Dispose() => _state.Dispose();

    private float[] Run(int[] tokens)
    {
        try
        {
            using (Graph.NoGrad()) _model.NextScores(tokens, _state).CopyTo(_logits);
        }
        finally
        {
            Graph.Current.Release();
        }
        return _logits;
    }
}
