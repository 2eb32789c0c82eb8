namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// Encoded captions padded to the longest of them: the token ids row by row (padding repeats the end-of-text id,
/// which the causal encoder never lets an earlier position see), every token's position, and the row of each
/// caption's end-of-text token. The arrays stay unchanged until the backward pass has read them.
/// </summary>
public sealed class TextBatch
{
    /// <summary>A batch of <paramref name="captions"/>, each already encoded and ending with <see cref="CaptionVocabulary.EndOfText"/>.</summary>
    public TextBatch(IReadOnlyList<int[]> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        if (captions.Count == 0) throw new ArgumentException("A text batch needs at least one caption.", nameof(captions));
        Batch = captions.Count;
        Length = captions.Max(c => c.Length);
        Tokens = new int[Batch * Length];
        Positions = new int[Batch * Length];
        EndRows = new int[Batch];
        for (int b = 0; b < Batch; b++)
        {
            int[] caption = captions[b];
            if (caption.Length == 0 || caption[^1] != CaptionVocabulary.EndOfText)
                throw new ArgumentException($"Caption {b} does not end with the end-of-text id.", nameof(captions));
            Span<int> row = Tokens.AsSpan(b * Length, Length);
            caption.CopyTo(row);
            row[caption.Length..].Fill(CaptionVocabulary.EndOfText);
            for (int t = 0; t < Length; t++) Positions[b * Length + t] = t;
            EndRows[b] = b * Length + caption.Length - 1;
        }
    }

    /// <summary>Captions.</summary>
    public int Batch { get; }

    /// <summary>Tokens per caption after padding.</summary>
    public int Length { get; }

    /// <summary>Token ids [Batch · Length].</summary>
    public int[] Tokens { get; }

    /// <summary>Each token's position [Batch · Length].</summary>
    public int[] Positions { get; }

    /// <summary>The row of each caption's end-of-text token in the flattened [Batch · Length] outputs.</summary>
    public int[] EndRows { get; }
}
