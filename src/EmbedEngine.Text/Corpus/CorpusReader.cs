using System.Buffers;

namespace EmbedEngine.Text;

/// <summary>
/// Streams the whitespace-separated tokens of a UTF-8 text file, plain or gzip (recognized by its magic bytes,
/// not its name), through one fixed-size buffer, so a corpus larger than memory reads like any other.
/// </summary>
/// <remarks>
/// Separators are ASCII space, \t, \n, \r, \v and \f; a line feed also ends a sentence. Invalid UTF-8 inside a
/// token is replaced by U+FFFD and counted, never fatal. A leading UTF-8 byte-order mark is skipped, because
/// editors add it and it would otherwise glue itself to the first word. Not thread-safe: one reader per thread.
/// </remarks>
public sealed class CorpusReader : IDisposable
{
    /// <summary>The longest token in bytes, word2vec's MAX_STRING; longer ones are cut at a character boundary.</summary>
    public const int MaxTokenBytes = 100;

    /// <summary>
    /// 64 KiB: a system call costs little next to tokenizing 64 KiB, and the buffer stays below the large-object
    /// threshold, so the readers each training thread opens per epoch die young instead of piling up on the
    /// rarely collected large-object heap (larger buffers showed as megabytes of peak memory on small models).
    /// </summary>
    internal const int DefaultBufferBytes = 1 << 16;

    /// <summary>The smallest buffer that can hold a whole byte-order mark in its first fill.</summary>
    internal const int MinimumBufferBytes = 4;

    private static readonly SearchValues<byte> LineFeed = SearchValues.Create("\n"u8);

    private readonly CorpusSource _source;
    private readonly byte[] _buffer;
    private readonly byte[] _rawToken = new byte[Utf8TokenCleaner.RawBytesNeeded];
    private readonly Utf8TokenCleaner _cleaner = new();
    private readonly long _stopOffset;
    private readonly bool _wholeLines;
    private readonly int _lineShardIndex;
    private readonly int _lineShardCount;
    private int _next;
    private int _end;
    private long _bufferStartOffset;
    private long _lineNumber;
    private long _lineStartOffset;
    private bool _foreignLine;
    private bool _lineHasToken;
    private bool _exhausted;
    private bool _pooled;

    private CorpusReader(CorpusSource source, int bufferBytes, long startOffset, long stopOffset, bool wholeLines,
        int lineShardIndex, int lineShardCount)
    {
        _source = source;
        // Pooled at the default size: each training thread opens a reader per epoch, and reusing the buffer keeps
        // finished epochs from leaving garbage behind (odd sizes are for tests of buffer boundaries).
        _pooled = bufferBytes == DefaultBufferBytes;
        _buffer = _pooled ? ArrayPool<byte>.Shared.Rent(bufferBytes) : new byte[bufferBytes];
        _bufferStartOffset = startOffset;
        _stopOffset = stopOffset;
        _wholeLines = wholeLines;
        _lineStartOffset = startOffset;
        _lineShardIndex = lineShardIndex;
        _lineShardCount = lineShardCount;
        _foreignLine = lineShardIndex != 0;
    }

    /// <summary>The corpus path, as given to <see cref="Open(string)"/>.</summary>
    public string Path => _source.Path;

    /// <summary>How many invalid UTF-8 sequences have been replaced by U+FFFD in the tokens returned so far.</summary>
    public long InvalidSequences => _cleaner.InvalidSequences;

    /// <summary>
    /// Bytes of the file (compressed bytes for gzip) consumed so far, for progress; runs ahead of the tokens
    /// returned by up to one buffer. For a byte-range shard, counted from the start of the shard.
    /// </summary>
    public long Position => _source.Position;

    /// <summary>The file's length in bytes (compressed for gzip); for a byte-range shard, the shard's length.</summary>
    public long Length => _source.Length;

    /// <summary>
    /// Whether the corpus is gzip-compressed: its shards are then dealt out line by line, and each one decompresses
    /// the whole file (see <see cref="Open(string, int, int)"/>).
    /// </summary>
    /// <exception cref="CorpusException">The file is missing, a directory, unreadable, or not valid gzip.</exception>
    public static bool IsGzip(string path)
    {
        using CorpusSource source = CorpusSource.Open(path);
        return source.IsGzip;
    }

    /// <summary>Opens a corpus for reading from its start.</summary>
    /// <param name="path">A plain or gzip-compressed UTF-8 text file.</param>
    /// <exception cref="CorpusException">The file is missing, a directory, unreadable, or not valid gzip.</exception>
    public static CorpusReader Open(string path) => Open(path, 0, 1, DefaultBufferBytes);

    /// <summary>
    /// Opens one of <paramref name="shardCount"/> disjoint parts of a corpus, so that parallel trainers can each
    /// read their own part: together the shards return every token exactly once.
    /// </summary>
    /// <remarks>
    /// A plain file is cut into equal byte ranges (as word2vec.c's threads seek to <c>file_size / threads * id</c>),
    /// each token belonging to the range its first byte lies in; a line cut by a range boundary becomes two
    /// sentences. A gzip stream cannot be entered in the middle, so there shard <c>i</c> takes lines
    /// <c>i, i + shardCount, …</c>, and every shard decompresses the whole file.
    /// </remarks>
    /// <param name="path">A plain or gzip-compressed UTF-8 text file.</param>
    /// <param name="shardIndex">Which part, from 0 to <paramref name="shardCount"/> - 1.</param>
    /// <param name="shardCount">How many parts the corpus is split into.</param>
    /// <exception cref="CorpusException">The file is missing, a directory, unreadable, or not valid gzip.</exception>
    public static CorpusReader Open(string path, int shardIndex, int shardCount) =>
        Open(path, shardIndex, shardCount, ShardBoundary.AnyToken, DefaultBufferBytes);

    /// <summary>
    /// Opens one of <paramref name="shardCount"/> disjoint parts of a corpus, cut where <paramref name="boundary"/>
    /// allows (see <see cref="Open(string, int, int)"/> for how plain and gzip files are split).
    /// </summary>
    /// <param name="path">A plain or gzip-compressed UTF-8 text file.</param>
    /// <param name="shardIndex">Which part, from 0 to <paramref name="shardCount"/> - 1.</param>
    /// <param name="shardCount">How many parts the corpus is split into.</param>
    /// <param name="boundary">
    /// Whether a plain file's byte ranges may cut a line in two (as word2vec.c's do) or give each line whole to the
    /// shard its first byte lies in, so that sentences read the same whatever the shard count.
    /// </param>
    /// <exception cref="CorpusException">The file is missing, a directory, unreadable, or not valid gzip.</exception>
    public static CorpusReader Open(string path, int shardIndex, int shardCount, ShardBoundary boundary) =>
        Open(path, shardIndex, shardCount, boundary, DefaultBufferBytes);

    /// <summary>Opens a shard with a chosen buffer size, so tests can put buffer boundaries inside tokens.</summary>
    internal static CorpusReader Open(string path, int shardIndex, int shardCount, int bufferBytes) =>
        Open(path, shardIndex, shardCount, ShardBoundary.AnyToken, bufferBytes);

    /// <summary>Opens a shard with a chosen boundary rule and buffer size.</summary>
    internal static CorpusReader Open(string path, int shardIndex, int shardCount, ShardBoundary boundary, int bufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, MinimumBufferBytes);

        CorpusSource source = CorpusSource.Open(path);
        try
        {
            long start = 0;
            long stop = long.MaxValue;
            int lineShardIndex = shardIndex;
            int lineShardCount = shardCount;
            bool wholeLines = boundary == ShardBoundary.LineStart;
            bool startsInsideToken = false;
            bool startsInsideLine = false;
            if (shardCount > 1 && !source.IsGzip)
            {
                start = source.Length * shardIndex / shardCount;
                stop = source.Length * (shardIndex + 1) / shardCount;
                byte? before = source.SeekToRange(start, stop);
                startsInsideToken = before is { } token && !AsciiWhitespace.Is(token);
                startsInsideLine = before is { } previous && previous != (byte)'\n';
                lineShardIndex = 0;
                lineShardCount = 1;
            }
            var reader = new CorpusReader(source, bufferBytes, start, stop, wholeLines, lineShardIndex, lineShardCount);
            // The line (or token) cut by the shard's start belongs to the previous shard.
            if (wholeLines) reader._foreignLine |= startsInsideLine;
            reader.Start(skipPartialToken: startsInsideToken && !wholeLines);
            return reader;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next token or line end. The token's bytes stay valid only until the next call.
    /// </summary>
    /// <param name="token">A non-empty token of valid UTF-8, at most <see cref="MaxTokenBytes"/> bytes; empty at a line end.</param>
    /// <param name="lineBreak">
    /// True at the end of a line that held at least one token (so blank lines yield nothing); also once at the end
    /// of input when the last line has no final line feed, so every sentence ends with a line break.
    /// </param>
    /// <returns>False at the end of input.</returns>
    /// <exception cref="CorpusException">The file cannot be read further or its gzip data is corrupt.</exception>
    public bool Read(out ReadOnlySpan<byte> token, out bool lineBreak)
    {
        while (true)
        {
            if (_next == _end && !Fill()) return EndOfSentences(out token, out lineBreak);
            byte current = _buffer[_next];
            if (current == (byte)'\n')
            {
                _next++;
                _lineStartOffset = _bufferStartOffset + _next;
                StartLine();
                if (_lineHasToken)
                {
                    _lineHasToken = false;
                    token = default;
                    lineBreak = true;
                    return true;
                }
                continue;
            }
            if (AsciiWhitespace.Is(current))
            {
                _next++;
                continue;
            }
            if (_foreignLine)
            {
                SkipUntil(LineFeed);
                continue;
            }
            if ((_wholeLines ? _lineStartOffset : _bufferStartOffset + _next) >= _stopOffset)
            {
                // The token (or its line) starts in the next shard: this shard is done.
                _exhausted = true;
                _next = _end;
                continue;
            }
            _lineHasToken = true;
            token = ReadToken();
            lineBreak = false;
            return true;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _source.Dispose();
        if (!_pooled) return;
        _pooled = false;
        ArrayPool<byte>.Shared.Return(_buffer);
    }

    private void Start(bool skipPartialToken)
    {
        _end = _source.ReadAtLeast(_buffer, MinimumBufferBytes - 1);
        if (_end == 0) _exhausted = true;
        if (_bufferStartOffset == 0 && _buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8)) _next = 3;
        if (skipPartialToken) SkipUntil(AsciiWhitespace.Bytes);
    }

    private bool EndOfSentences(out ReadOnlySpan<byte> token, out bool lineBreak)
    {
        token = default;
        lineBreak = _lineHasToken;
        _lineHasToken = false;
        return lineBreak;
    }

    private void StartLine()
    {
        if (_lineShardCount == 1)
        {
            _foreignLine = false;
            return;
        }
        _lineNumber++;
        _foreignLine = _lineNumber % _lineShardCount != _lineShardIndex;
    }

    /// <summary>Reads the token that starts at <see cref="_next"/>, refilling the buffer while it continues.</summary>
    private ReadOnlySpan<byte> ReadToken()
    {
        ReadOnlySpan<byte> rest = _buffer.AsSpan(_next, _end - _next);

        // Most tokens are short ASCII words: one scalar pass finds their end and proves they need no UTF-8
        // validation, which costs less than setting up a vectorized search and a validation per token.
        int shortScan = Math.Min(rest.Length, MaxTokenBytes + 1);
        int bitsSeen = 0;
        for (int index = 0; index < shortScan; index++)
        {
            byte current = rest[index];
            if (AsciiWhitespace.Is(current))
            {
                _next += index;
                return bitsSeen < 0x80 ? rest[..index] : _cleaner.Clean(rest[..index]);
            }
            bitsSeen |= current;
        }

        int length = rest.IndexOfAny(AsciiWhitespace.Bytes);
        if (length >= 0)
        {
            _next += length;
            return _cleaner.Clean(rest[..length]);
        }

        // The token runs past the buffer: gather its first bytes (all that decide its cleaned form) and skip the rest.
        int gathered = Gather(rest, 0);
        _next = _end;
        while (Fill())
        {
            rest = _buffer.AsSpan(0, _end);
            length = rest.IndexOfAny(AsciiWhitespace.Bytes);
            if (length >= 0)
            {
                gathered = Gather(rest[..length], gathered);
                _next = length;
                break;
            }
            gathered = Gather(rest, gathered);
            _next = _end;
        }
        return _cleaner.Clean(_rawToken.AsSpan(0, gathered));
    }

    private int Gather(ReadOnlySpan<byte> piece, int gathered)
    {
        int take = Math.Min(piece.Length, _rawToken.Length - gathered);
        piece[..take].CopyTo(_rawToken.AsSpan(gathered));
        return gathered + take;
    }

    /// <summary>Advances to the next byte in <paramref name="stops"/>, or to the end of input.</summary>
    private void SkipUntil(SearchValues<byte> stops)
    {
        while (_next < _end || Fill())
        {
            int found = _buffer.AsSpan(_next, _end - _next).IndexOfAny(stops);
            if (found >= 0)
            {
                _next += found;
                return;
            }
            _next = _end;
        }
    }

    private bool Fill()
    {
        if (_exhausted) return false;
        _bufferStartOffset += _end;
        _next = 0;
        _end = _source.Read(_buffer);
        if (_end == 0) _exhausted = true;
        return _end > 0;
    }
}
