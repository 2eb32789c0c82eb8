using System.Runtime.InteropServices;
using System.Text;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// Counts the distinct pre-tokens of a corpus (<see cref="Gpt2PreTokenizer.SplitUtf8"/>), streamed from files,
/// keyed by their bytes in GPT-2's byte-to-character form.
/// </summary>
internal sealed class PieceCounter : IPieceSink
{
    /// <summary>Bytes read at a time; a chunk grows only for a stretch with no safe cut (see <see cref="LastSafeCut"/>).</summary>
    internal const int DefaultChunkBytes = 1 << 20;

    private readonly int _chunkBytes;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private byte[] _utf8 = new byte[256];
    private char[] _key = new char[256];

    /// <param name="chunkBytes">Bytes read at a time; tests make it tiny to cut the corpus often.</param>
    public PieceCounter(int chunkBytes = DefaultChunkBytes) => _chunkBytes = chunkBytes;

    /// <summary>Each distinct pre-token (bytes in GPT-2's form) with its count, in order of first appearance.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Pre-tokens seen, repeats included.</summary>
    public long Total { get; private set; }

    /// <summary>Counts the pre-tokens of a file, plain or gzip.</summary>
    /// <exception cref="CorpusException">The file cannot be opened or read.</exception>
    public void AddFile(string path, CancellationToken cancellation)
    {
        using CorpusSource source = CorpusSource.Open(path);
        byte[] buffer = new byte[_chunkBytes];
        int filled = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            int read = source.Read(buffer.AsSpan(filled));
            filled += read;
            if (read == 0)
            {
                Gpt2PreTokenizer.SplitUtf8(buffer.AsSpan(0, filled), this);
                return;
            }
            int cut = LastSafeCut(buffer.AsSpan(0, filled));
            if (cut <= 0) continue;
            Gpt2PreTokenizer.SplitUtf8(buffer.AsSpan(0, cut), this);
            buffer.AsSpan(cut, filled - cut).CopyTo(buffer);
            filled -= cut;
        }
    }

    /// <summary>Counts the pre-tokens of <paramref name="text"/>.</summary>
    public void AddText(string text) => Gpt2PreTokenizer.Split(text, this);

    /// <summary>
    /// The last offset where the bytes can be cut without changing their pre-tokens: before an ASCII space, tab,
    /// CR or LF that follows a visible ASCII character. No pattern alternative continues from a non-space into a
    /// space, so a pre-token ends there; and the pattern looks neither behind nor more than one character ahead,
    /// so the text after the cut splits as it would have in place. −1 if there is none.
    /// </summary>
    internal static int LastSafeCut(ReadOnlySpan<byte> bytes)
    {
        for (int i = bytes.Length - 1; i > 0; i--)
        {
            if (bytes[i] is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r' && bytes[i - 1] is > 0x20 and < 0x7f) return i;
        }
        return -1;
    }

    void IPieceSink.Text(ReadOnlySpan<char> piece)
    {
        int byteCount = Encoding.UTF8.GetByteCount(piece);
        if (byteCount > _utf8.Length) _utf8 = new byte[Math.Max(byteCount, 2 * _utf8.Length)];
        Encoding.UTF8.GetBytes(piece, _utf8);
        Count(_utf8.AsSpan(0, byteCount));
    }

    void IPieceSink.InvalidBytes(ReadOnlySpan<byte> piece) => Count(piece);

    private void Count(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _key.Length) _key = new char[Math.Max(bytes.Length, 2 * _key.Length)];
        Span<char> key = _key.AsSpan(0, bytes.Length);
        for (int i = 0; i < bytes.Length; i++) key[i] = ByteLevelAlphabet.ToChar(bytes[i]);
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        CollectionsMarshal.GetValueRefOrAddDefault(lookup, key, out _)++;
        Total++;
    }
}
