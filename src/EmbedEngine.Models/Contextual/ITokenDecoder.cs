namespace EmbedEngine.Models.Contextual;

/// <summary>Reads a causal language model's tokens one after another and scores the token after them.</summary>
public interface ITokenDecoder : IDisposable
{
    /// <summary>Starts over from <paramref name="prompt"/>; returns the scores [table rows] of the token after it, valid until the next call.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or longer than the model reads at once.</exception>
    ReadOnlySpan<float> Start(ReadOnlySpan<int> prompt);

    /// <summary>Appends <paramref name="token"/>; returns the scores of the token after it, valid until the next call.</summary>
    ReadOnlySpan<float> Append(int token);
}
