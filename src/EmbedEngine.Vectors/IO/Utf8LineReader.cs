namespace EmbedEngine.Vectors.IO;

/// <summary>
/// Reads a stream line by line as raw UTF-8 bytes, so numbers parse straight from the buffer without a string per
/// value. Tracks the line number and byte offset of the current line for error messages. A line may end with
/// "\n" or "\r\n" (the "\r" stays in the line; tokenizers treat it as whitespace), and the last line may lack one.
/// </summary>
internal sealed class Utf8LineReader
{
    /// <summary>
    /// Longest accepted line. A 1,000,000-dimension row at ~20 characters per value fits; anything longer means the
    /// file is not line-oriented text (for example a binary file read as text), and is refused instead of buffered.
    /// </summary>
    public const int MaxLineBytes = 64 << 20;

    private readonly Stream _stream;
    private readonly string _path;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _endOfStream;

    /// <summary>Reads <paramref name="stream"/> from its current position; <paramref name="path"/> names it in errors.</summary>
    public Utf8LineReader(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
        _bufferOffset = stream.Position;
    }

    /// <summary>One-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Byte offset in the stream of the line last returned.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Byte offset in the stream just past the line last returned and its line break.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>The next line without its "\n", or false at the end of the stream.</summary>
    /// <exception cref="VectorFormatException">A line is longer than <see cref="MaxLineBytes"/>.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        int searchFrom = _start;
        while (true)
        {
            int newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineEnd = searchFrom + newline;
                line = Take(lineEnd, lineEnd + 1);
                return true;
            }
            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Take(_end, _end);
                return true;
            }
            searchFrom = _end - _start;
            Refill();
        }
    }

    /// <summary>The next line that holds anything but whitespace, or false at the end of the stream.</summary>
    public bool TryReadNonBlankLine(out ReadOnlySpan<byte> line)
    {
        while (TryReadLine(out line))
        {
            if (!Tokens.IsBlank(line)) return true;
        }
        return false;
    }

    private ReadOnlySpan<byte> Take(int lineEnd, int nextStart)
    {
        LineNumber++;
        LineOffset = _bufferOffset + _start;
        var line = new ReadOnlySpan<byte>(_buffer, _start, lineEnd - _start);
        _start = nextStart;
        return line;
    }

    /// <summary>Moves the unread bytes to the front, grows the buffer if a line fills it, and reads more.</summary>
    private void Refill()
    {
        int pending = _end - _start;
        if (pending == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
                throw VectorFormatException.AtLine(_path, LineNumber + 1,
                    $"the line is longer than {MaxLineBytes} bytes; expected one word and its values per line.");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes));
        }
        else if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
        }
        _bufferOffset += _start;
        _start = 0;
        _end = pending;
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfStream = true;
        _end += read;
    }
}
