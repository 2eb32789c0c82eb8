using System.Buffers.Binary;

namespace EmbedEngine.Text;

/// <summary>
/// A sorted run of pairs on disk: 16-byte records (little-endian uint64 key, float64 sum) in ascending key
/// order, written by one counting thread when its table fills and read back once by the merge. The file is
/// private to one run of the counter and deleted with its folder.
/// </summary>
internal sealed class SpilledRun : PairRun
{
    /// <summary>Bytes per record.</summary>
    public const int RecordBytes = sizeof(ulong) + sizeof(double);

    /// <summary>The buffer a writer holds, and a reader at most: a few disk blocks.</summary>
    public const int BufferBytes = 1 << 16;

    /// <summary>The smallest reader buffer, for merges of very many runs.</summary>
    public const int MinimumBufferBytes = 1 << 12;

    private readonly FileStream _file;
    private readonly byte[] _buffer;
    private int _next;
    private int _end;

    private SpilledRun(FileStream file, int bufferBytes)
    {
        _file = file;
        _buffer = new byte[bufferBytes / RecordBytes * RecordBytes];
    }

    /// <summary>Writes the first <paramref name="count"/> pairs of sorted arrays to a new file.</summary>
    /// <exception cref="IOException">The file cannot be written (the disk may be full).</exception>
    public static void Write(string path, ulong[] keys, double[] sums, int count)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var buffer = new byte[BufferBytes];
        int filled = 0;
        for (int i = 0; i < count; i++)
        {
            if (filled == buffer.Length)
            {
                file.Write(buffer);
                filled = 0;
            }
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(filled), keys[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(filled + sizeof(ulong)), sums[i]);
            filled += RecordBytes;
        }
        file.Write(buffer, 0, filled);
    }

    /// <summary>Opens a run written by <see cref="Write"/>; the file is deleted when the run is disposed.</summary>
    /// <param name="path">The run's file.</param>
    /// <param name="bufferBytes">Read buffer, from <see cref="MinimumBufferBytes"/> to <see cref="BufferBytes"/>.</param>
    public static SpilledRun Open(string path, int bufferBytes) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose),
            Math.Clamp(bufferBytes, MinimumBufferBytes, BufferBytes));

    public override long Length => _file.Length / RecordBytes;

    public override bool MoveNext()
    {
        if (_next == _end && !Fill()) return false;
        Key = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_next));
        Sum = BinaryPrimitives.ReadDoubleLittleEndian(_buffer.AsSpan(_next + sizeof(ulong)));
        _next += RecordBytes;
        return true;
    }

    public override void Dispose() => _file.Dispose();

    private bool Fill()
    {
        _next = 0;
        _end = _file.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
        if (_end % RecordBytes != 0)
            throw new CorpusException($"The temporary run '{_file.Name}' ends inside a record; was it changed while counting?");
        return _end > 0;
    }
}
