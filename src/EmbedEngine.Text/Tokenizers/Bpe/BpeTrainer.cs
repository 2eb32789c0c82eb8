using System.Diagnostics;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// Learns GPT-2-style byte-level BPE: pre-token counts are taken in one pass over the corpus, then merges are
/// learned on the distinct pre-tokens (<see cref="MergeLearner"/>) until the vocabulary is full or no pair is left.
/// </summary>
/// <remarks>
/// Ids 0–255 are the bytes in GPT-2's order (the printable bytes first, as GPT-2's own vocabulary numbers them),
/// merges follow in the order learned, and the end-of-text token, if added, comes last. Ties between equally
/// frequent pairs go to the smallest left id, then the smallest right id, so a run is reproducible.
/// </remarks>
public static class BpeTrainer
{
    /// <summary>Learns from the text of <paramref name="corpusPaths"/> (UTF-8, plain or gzip), read as one stream each.</summary>
    /// <exception cref="CorpusException">A file cannot be opened or read.</exception>
    public static BpeTrainingResult Train(IEnumerable<string> corpusPaths, BpeTrainingOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(corpusPaths);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var counter = new PieceCounter();
        foreach (string path in corpusPaths) counter.AddFile(path, cancellation);
        return Learn(counter, options, clock, cancellation);
    }

    /// <summary>Learns from <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> holds a lone surrogate, which has no UTF-8 form.</exception>
    public static BpeTrainingResult TrainOnText(string text, BpeTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        options.Validate();
        Gpt2PreTokenizer.ThrowOnLoneSurrogate(text, nameof(text));
        var clock = Stopwatch.StartNew();
        var counter = new PieceCounter();
        counter.AddText(text);
        return Learn(counter, options, clock, CancellationToken.None);
    }

    private static BpeTrainingResult Learn(PieceCounter counter, BpeTrainingOptions options, Stopwatch clock, CancellationToken cancellation)
    {
        TimeSpan counting = clock.Elapsed;
        var idOfByte = new int[ByteLevelAlphabet.ByteCount];
        var tokens = new List<string>(options.VocabularySize);
        for (int id = 0; id < ByteLevelAlphabet.ByteCount; id++)
        {
            byte value = ByteLevelAlphabet.ByteOfGpt2Id(id);
            idOfByte[value] = id;
            tokens.Add(ByteLevelAlphabet.ToChar(value).ToString());
        }

        var pieces = new List<int[]>();
        var weights = new List<long>();
        foreach (var (piece, count) in counter.Counts)
        {
            if (piece.Length < 2) continue;
            var ids = new int[piece.Length];
            for (int i = 0; i < piece.Length; i++)
            {
                ByteLevelAlphabet.TryGetByte(piece[i], out byte value);
                ids[i] = idOfByte[value];
            }
            pieces.Add(ids);
            weights.Add(count);
        }

        var learner = new MergeLearner(pieces, weights);
        var merges = new List<(int, int, int)>();
        int mergesWanted = options.VocabularySize - ByteLevelAlphabet.ByteCount - (options.AddEndOfText ? 1 : 0);
        while (merges.Count < mergesWanted && learner.TryMergeNext(tokens.Count, out int left, out int right))
        {
            if ((merges.Count & 255) == 0) cancellation.ThrowIfCancellationRequested();
            merges.Add((left, right, tokens.Count));
            tokens.Add(tokens[left] + tokens[right]);
        }
        if (options.AddEndOfText) tokens.Add(ByteLevelBpe.EndOfText);
        var tokenizer = new ByteLevelBpe([.. tokens], [.. merges]);
        return new BpeTrainingResult(tokenizer, counter.Total, counter.Counts.Count, counting, clock.Elapsed - counting);
    }
}
