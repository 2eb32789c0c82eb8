namespace EmbedEngine.Models.Contextual;

/// <summary>How <see cref="TextGenerator"/> samples: nanoGPT's sample.py defaults of temperature 0.8 and top-k 40.</summary>
public sealed record GenerationOptions
{
    /// <summary>Tokens to generate after the prompt.</summary>
    public int Tokens { get; init; } = 500;

    /// <summary>Divides the scores before the softmax; 0 picks the highest score every time.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Only the k highest-scoring tokens can be drawn; 0 allows all.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Seeds the draws: equal seeds, prompts and models give equal text.</summary>
    public ulong Seed { get; init; } = 1337;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Tokens < 0) throw new ArgumentException($"The number of tokens to generate cannot be negative; got {Tokens}.");
        if (!(Temperature >= 0) || !float.IsFinite(Temperature)) throw new ArgumentException($"The temperature must be 0 or positive; got {Temperature}.");
        if (TopK < 0) throw new ArgumentException($"Top-k cannot be negative; got {TopK}.");
    }
}
