using System.Text;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// GPT-2's byte-level byte-pair encoding: text is pre-tokenized (<see cref="Gpt2PreTokenizer"/>), each pre-token's
/// UTF-8 bytes become byte tokens, and ranked merges join adjacent tokens, lowest rank first. Every byte has a
/// token, so any text, and any byte string, encodes without an unknown token.
/// </summary>
/// <remarks>
/// Vocabulary entries that are neither a byte nor the result of a merge are special tokens (GPT-2's
/// <c>&lt;|endoftext|&gt;</c>): <see cref="Encode"/> never produces them from text (a caller appends them by id,
/// see <see cref="SpecialTokens"/>), and they decode to their own text. Thread-safe.
/// </remarks>
public sealed class ByteLevelBpe : ITokenizer
{
    /// <summary>GPT-2's end-of-text token, which the trainer appends to a vocabulary unless told not to.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Pre-tokens whose ids are remembered: enough for the distinct words of a large corpus; past it the cache starts over.</summary>
    private const int CacheCapacity = 1 << 17;

    private readonly string[] _tokens;
    private readonly byte[][] _bytesOfId;
    private readonly int[] _idOfByte = new int[ByteLevelAlphabet.ByteCount];
    private readonly (int Left, int Right, int Result)[] _merges;
    private readonly MergeTable _mergeTable;
    private readonly Dictionary<string, int> _specialTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    /// <summary>
    /// A tokenizer over <paramref name="tokens"/> (token i in GPT-2's byte-to-character form has id i) and
    /// <paramref name="merges"/> in rank order. The caller has checked that every byte has a token and that each
    /// merge's result is the concatenation of its parts.
    /// </summary>
    internal ByteLevelBpe(string[] tokens, (int Left, int Right, int Result)[] merges)
    {
        _tokens = tokens;
        _merges = merges;
        _mergeTable = new MergeTable(merges);
        _bytesOfId = new byte[tokens.Length][];
        var isMergeResult = new bool[tokens.Length];
        foreach (var merge in merges) isMergeResult[merge.Result] = true;
        var byteIds = new Dictionary<char, int>();
        for (int id = 0; id < tokens.Length; id++)
        {
            string token = tokens[id];
            if (token.Length == 1 && ByteLevelAlphabet.TryGetByte(token[0], out byte value))
            {
                _idOfByte[value] = id;
                _bytesOfId[id] = [value];
            }
            else if (isMergeResult[id])
            {
                _bytesOfId[id] = ByteLevelAlphabet.ToBytes(token)
                    ?? throw new ArgumentException($"Merge result '{token}' (id {id}) holds a character outside GPT-2's byte alphabet.");
            }
            else
            {
                _specialTokens.Add(token, id);
                _bytesOfId[id] = Encoding.UTF8.GetBytes(token);
            }
        }
    }

    /// <inheritdoc />
    public int VocabularySize => _tokens.Length;

    /// <summary>How many merges the vocabulary was built with.</summary>
    public int MergeCount => _merges.Length;

    /// <summary>The special tokens (see the remarks) and their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => _specialTokens;

    /// <summary>Loads GPT-2's file pair (see <see cref="BpeFiles"/>).</summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it and the line.</exception>
    public static ByteLevelBpe Load(string vocabPath, string mergesPath) => BpeFiles.Load(vocabPath, mergesPath);

    /// <summary>Writes vocab.json and merges.txt in GPT-2's layout, each atomically.</summary>
    public void Save(string vocabPath, string mergesPath) => BpeFiles.Save(vocabPath, mergesPath, _tokens, _merges);

    /// <summary>Token <paramref name="id"/> as vocab.json writes it (GPT-2's printable form of its bytes, or a special token's text).</summary>
    public string TokenOf(int id)
    {
        CheckId(id, 0);
        return _tokens[id];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="text"/> holds a lone surrogate, which has no UTF-8 form.</exception>
    public void Encode(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        Gpt2PreTokenizer.ThrowOnLoneSurrogate(text, nameof(text));
        Gpt2PreTokenizer.Split(text, new Encoder(this, ids));
    }

    /// <summary>
    /// Appends the ids of arbitrary bytes, ill-formed UTF-8 included: well-formed runs encode as
    /// <see cref="Encode"/> encodes their text, and each ill-formed subsequence between them is a pre-token of its
    /// own (see <see cref="Gpt2PreTokenizer.SplitUtf8"/>). <see cref="DecodeBytes"/> gives the bytes back.
    /// </summary>
    public void EncodeBytes(ReadOnlySpan<byte> bytes, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Gpt2PreTokenizer.SplitUtf8(bytes, new Encoder(this, ids));
    }

    /// <summary>The bytes <paramref name="ids"/> stand for.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public byte[] DecodeBytes(ReadOnlySpan<int> ids)
    {
        int length = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            CheckId(ids[i], i);
            length += _bytesOfId[ids[i]].Length;
        }
        var bytes = new byte[length];
        int at = 0;
        foreach (int id in ids)
        {
            _bytesOfId[id].CopyTo(bytes, at);
            at += _bytesOfId[id].Length;
        }
        return bytes;
    }

    /// <inheritdoc />
    /// <remarks>Bytes that do not form UTF-8 (ids a model chose badly) become U+FFFD, as GPT-2 decodes with errors="replace".</remarks>
    public string Decode(ReadOnlySpan<int> ids) => Encoding.UTF8.GetString(DecodeBytes(ids));

    private void CheckId(int id, int position)
    {
        if ((uint)id >= (uint)_tokens.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} at position {position} is outside the vocabulary of {_tokens.Length}.");
    }

    /// <summary>The ids of one pre-token of text, from the cache or by merging its bytes.</summary>
    private void EncodeText(ReadOnlySpan<char> piece, List<int> ids)
    {
        int[]? cached;
        lock (_cacheLock) _cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(piece, out cached);
        if (cached is null)
        {
            Span<byte> bytes = piece.Length <= 256 ? stackalloc byte[piece.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(piece.Length)];
            int length = Encoding.UTF8.GetBytes(piece, bytes);
            cached = Merge(bytes[..length]);
            lock (_cacheLock)
            {
                if (_cache.Count >= CacheCapacity) _cache.Clear();
                _cache.TryAdd(piece.ToString(), cached);
            }
        }
        ids.AddRange(cached);
    }

    private int[] Merge(ReadOnlySpan<byte> bytes)
    {
        var tokens = new int[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) tokens[i] = _idOfByte[bytes[i]];
        int count = _mergeTable.Apply(tokens);
        return count == tokens.Length ? tokens : tokens[..count];
    }

    /// <summary>Routes the pre-tokens of one call to the merges and its id list.</summary>
    private sealed class Encoder(ByteLevelBpe tokenizer, List<int> ids) : IPieceSink
    {
        public void Text(ReadOnlySpan<char> piece) => tokenizer.EncodeText(piece, ids);

        public void InvalidBytes(ReadOnlySpan<byte> piece) => ids.AddRange(tokenizer.Merge(piece));
    }
}
