using System.IO.Compression;

namespace EmbedEngine.Text;

/// <summary>
/// The byte stream under a <see cref="CorpusReader"/>: opens the file, detects gzip by its magic bytes, and turns
/// every I/O or format failure into a <see cref="CorpusException"/> that names the file.
/// </summary>
internal sealed class CorpusSource : IDisposable
{
    /// <summary>The gzip magic bytes (RFC 1952, ID1 ID2).</summary>
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    /// <summary>
    /// Unbuffered (0): the reader reads 64 KiB at a time and GZipStream buffers its own input, so a FileStream
    /// buffer would only be one more 64 KiB allocation per training thread per epoch.
    /// </summary>
    private const int FileBufferBytes = 0;

    private readonly FileStream _file;
    private readonly Stream _content;
    private long _rangeStart;
    private long _rangeLength;

    private CorpusSource(string path, FileStream file, bool isGzip)
    {
        Path = path;
        _file = file;
        IsGzip = isGzip;
        _content = isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        _rangeLength = file.Length;
    }

    public string Path { get; }

    public bool IsGzip { get; }

    /// <summary>Bytes of the file consumed so far within the range read.</summary>
    public long Position => Math.Clamp(_file.Position - _rangeStart, 0, _rangeLength);

    /// <summary>Bytes in the range read: the whole file unless <see cref="SeekToRange"/> narrowed it.</summary>
    public long Length => _rangeLength;

    public static CorpusSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new CorpusException($"corpus '{path}' is a directory, not a file");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes,
                FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CorpusException($"corpus '{path}' not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CorpusException($"corpus '{path}' cannot be read: access denied", e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new CorpusException($"corpus '{path}' cannot be opened: {e.Message}", e);
        }

        try
        {
            if (!file.CanSeek)
                throw new CorpusException($"corpus '{path}' is not a regular file (a pipe or device cannot be read twice for gzip detection and progress)");
            return new CorpusSource(path, file, StartsWithGzipMagic(path, file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Restricts reading to bytes [<paramref name="start"/>, <paramref name="stop"/>) of a plain file (the reader
    /// stops at the first token starting at or after <paramref name="stop"/>) and positions the file at
    /// <paramref name="start"/>.
    /// </summary>
    /// <returns>The byte before <paramref name="start"/>, which tells whether a token or line was cut there; null at the file's start.</returns>
    public byte? SeekToRange(long start, long stop)
    {
        _rangeStart = start;
        _rangeLength = stop - start;
        byte? before = null;
        if (start > 0)
        {
            _file.Position = start - 1;
            int value = _file.ReadByte();
            if (value >= 0) before = (byte)value;
        }
        _file.Position = start;
        return before;
    }

    /// <summary>Reads the next bytes of content (decompressed for gzip); 0 at the end.</summary>
    public int Read(Span<byte> buffer) => ReadAtLeast(buffer, 1);

    /// <summary>Reads at least <paramref name="minimum"/> bytes unless the content ends first.</summary>
    public int ReadAtLeast(Span<byte> buffer, int minimum)
    {
        try
        {
            return _content.ReadAtLeast(buffer, minimum, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new CorpusException(
                $"corpus '{Path}' is not valid gzip data (near compressed byte {SafePosition()}): {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new CorpusException($"reading corpus '{Path}' failed at byte {SafePosition()}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (_content != _file) _content.Dispose();
        _file.Dispose();
    }

    private static bool StartsWithGzipMagic(string path, FileStream file)
    {
        Span<byte> head = stackalloc byte[2];
        int read;
        try
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = 0;
        }
        catch (IOException e)
        {
            throw new CorpusException($"reading corpus '{path}' failed at its start: {e.Message}", e);
        }
        return read == head.Length && head.SequenceEqual(GzipMagic);
    }

    private long SafePosition()
    {
        try
        {
            return _file.Position;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return -1;
        }
    }
}
