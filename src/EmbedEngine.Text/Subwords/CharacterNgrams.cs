namespace EmbedEngine.Text;

/// <summary>
/// The character n-grams of a word, hashed into buckets as fastText does: the word is wrapped in '&lt;' and '&gt;',
/// n-grams of <see cref="MinLength"/> to <see cref="MaxLength"/> characters (UTF-8 sequences, never cut inside
/// one) are taken at every character, the one-character n-grams made of a boundary marker alone are skipped,
/// and each n-gram's <see cref="FastTextHash"/> modulo <see cref="Buckets"/> is its bucket.
/// </summary>
public sealed class CharacterNgrams
{
    /// <summary>fastText's word boundary markers.</summary>
    public const byte BeginOfWord = (byte)'<', EndOfWord = (byte)'>';

    /// <summary>Creates the n-gram scheme.</summary>
    /// <param name="minLength">Shortest n-gram in characters (fastText's -minn, 3 by default).</param>
    /// <param name="maxLength">Longest n-gram in characters (-maxn, 6 by default); 0 turns n-grams off.</param>
    /// <param name="buckets">Hash buckets (-bucket, 2,000,000 by default).</param>
    /// <exception cref="ArgumentException">The lengths or bucket count are out of range.</exception>
    public CharacterNgrams(int minLength, int maxLength, int buckets)
    {
        if (maxLength != 0 && (minLength < 1 || maxLength < minLength))
            throw new ArgumentException($"n-gram lengths must satisfy 1 <= minn <= maxn (or maxn = 0 for none), not minn {minLength}, maxn {maxLength}");
        if (maxLength != 0 && buckets < 1)
            throw new ArgumentException($"n-grams need at least one hash bucket, not {buckets}");
        MinLength = minLength;
        MaxLength = maxLength;
        Buckets = buckets;
    }

    /// <summary>Shortest n-gram in characters.</summary>
    public int MinLength { get; }

    /// <summary>Longest n-gram in characters; 0 when n-grams are off.</summary>
    public int MaxLength { get; }

    /// <summary>How many buckets the hashes are folded into.</summary>
    public int Buckets { get; }

    /// <summary>Appends the bucket of every n-gram of <paramref name="word"/> (without markers) to <paramref name="buckets"/>.</summary>
    /// <param name="word">The word's UTF-8 bytes.</param>
    /// <param name="buckets">Receives bucket numbers in [0, <see cref="Buckets"/>), in fastText's order.</param>
    public void AppendBuckets(ReadOnlySpan<byte> word, List<int> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (MaxLength == 0) return;
        Span<byte> wrapped = word.Length + 2 <= 256 ? stackalloc byte[word.Length + 2] : new byte[word.Length + 2];
        wrapped[0] = BeginOfWord;
        word.CopyTo(wrapped[1..]);
        wrapped[^1] = EndOfWord;
        for (int start = 0; start < wrapped.Length; start++)
        {
            if (IsContinuation(wrapped[start])) continue;
            int end = start;
            for (int characters = 1; end < wrapped.Length && characters <= MaxLength; characters++)
            {
                end++;
                while (end < wrapped.Length && IsContinuation(wrapped[end])) end++;
                bool markerAlone = characters == 1 && (start == 0 || end == wrapped.Length);
                if (characters >= MinLength && !markerAlone)
                    buckets.Add((int)(FastTextHash.Compute(wrapped[start..end]) % (uint)Buckets));
            }
        }
    }

    private static bool IsContinuation(byte value) => (value & 0xC0) == 0x80;
}
