using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Sentence.SimCse;

/// <summary>
/// The sequences of one SimCSE step stacked for one pass through the encoder: the N anchors, their N positives, then
/// the hard negatives of the anchors that have one; padded to the longest, with the weights that average each
/// sequence's own tokens ([CLS] included, as <see cref="TransformerSentenceEncoder"/>'s mean pooling).
/// </summary>
internal sealed class SimCseBatch
{
    private readonly EncodedExample[] _examples;

    /// <summary>Encodes every example once; examples whose anchor or positive has no token are dropped.</summary>
    public SimCseBatch(TransformerLanguageModel model, IReadOnlyList<SimCseExample> examples, int maxTokens)
    {
        int limit = Math.Min(maxTokens, model.Config.Context);
        int[]? Encode(string? text)
        {
            if (text == null) return null;
            var ids = new List<int>();
            if (model.Config.Kind == ContextualModelKind.Bert) ids.Add(model.Config.ClassToken);
            model.Tokenizer.Encode(text, ids);
            return ids.Count == model.LeadingSpecialTokens ? [] : [.. ids.Take(limit)];
        }

        var encoded = new List<EncodedExample>(examples.Count);
        foreach (SimCseExample example in examples)
        {
            int[] anchor = Encode(example.Anchor)!;
            int[] positive = Encode(example.Positive) ?? anchor;
            int[]? negative = Encode(example.HardNegative);
            if (anchor.Length == 0 || positive.Length == 0) continue;
            encoded.Add(new EncodedExample(anchor, positive, negative is { Length: > 0 } ? negative : null));
        }
        _examples = [.. encoded];
    }

    /// <summary>Examples kept.</summary>
    public int Count => _examples.Length;

    /// <summary>Token ids [Sequences × Length], row by row.</summary>
    public int[] Tokens { get; private set; } = [];

    /// <summary>Each sequence's own length, which attention masks past.</summary>
    public int[] Lengths { get; private set; } = [];

    /// <summary>Sequences in the step: 2N plus the hard negatives.</summary>
    public int Sequences => Lengths.Length;

    /// <summary>The longest sequence's length.</summary>
    public int Length { get; private set; }

    /// <summary>Hard negatives in the step (after the 2N anchors and positives).</summary>
    public int Negatives { get; private set; }

    /// <summary>Tokens in the step, padding excluded.</summary>
    public long RealTokens { get; private set; }

    /// <summary>
    /// Stacks the examples <paramref name="indices"/>, padded to the longest of them or to <paramref name="length"/> if
    /// longer, and returns the mean-pooling weights [Sequences, 1, Length] (the caller disposes them).
    /// </summary>
    public Tensor Fill(ReadOnlySpan<int> indices, int length = 0)
    {
        var sequences = new List<int[]>(3 * indices.Length);
        foreach (int i in indices) sequences.Add(_examples[i].Anchor);
        foreach (int i in indices) sequences.Add(_examples[i].Positive);
        foreach (int i in indices)
            if (_examples[i].Negative is { } negative) sequences.Add(negative);
        Negatives = sequences.Count - 2 * indices.Length;
        Length = Math.Max(length, sequences.Max(s => s.Length));
        Tokens = new int[sequences.Count * Length];
        Lengths = new int[sequences.Count];
        var weights = new float[sequences.Count * Length];
        RealTokens = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            int[] sequence = sequences[s];
            sequence.CopyTo(Tokens, s * Length);
            Lengths[s] = sequence.Length;
            RealTokens += sequence.Length;
            weights.AsSpan(s * Length, sequence.Length).Fill(1f / sequence.Length);
        }
        return Tensor.FromArray(weights, sequences.Count, 1, Length);
    }

    /// <summary>
    /// Where each sequence of the step over <paramref name="indices"/>, in <see cref="Fill"/>'s order for the whole step,
    /// lies among the sequences of every rank's <see cref="Fill"/> of its <paramref name="shares"/> of the indices,
    /// stacked in rank order: the rows that put the ranks' gathered sequence vectors in the whole step's order.
    /// </summary>
    public int[] RanksOrder(ReadOnlySpan<int> indices, IReadOnlyList<(int First, int Count)> shares)
    {
        int n = indices.Length;
        var order = new int[2 * n];
        var negatives = new List<int>();
        int row = 0;
        foreach ((int first, int count) in shares)
        {
            for (int i = first; i < first + count; i++) order[i] = row++;
            for (int i = first; i < first + count; i++) order[n + i] = row++;
            for (int i = first; i < first + count; i++)
                if (_examples[indices[i]].Negative != null) negatives.Add(row++);
        }
        return [.. order, .. negatives];
    }

    /// <summary>The longest sequence of the examples <paramref name="indices"/>: the length <see cref="Fill"/> pads them to.</summary>
    public int LongestOf(ReadOnlySpan<int> indices)
    {
        int longest = 0;
        foreach (int i in indices)
            longest = Math.Max(longest, Math.Max(Math.Max(_examples[i].Anchor.Length, _examples[i].Positive.Length), _examples[i].Negative?.Length ?? 0));
        return longest;
    }

    private sealed record EncodedExample(int[] Anchor, int[] Positive, int[]? Negative);
}
