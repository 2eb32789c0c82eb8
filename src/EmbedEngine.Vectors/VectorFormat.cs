namespace EmbedEngine.Vectors;

/// <summary>The on-disk layouts <see cref="VectorFile"/> reads and writes.</summary>
public enum VectorFormat
{
    /// <summary>
    /// word2vec's text output: a "count dim" header line, then "word v1 v2 ... vn" per line. Written byte for byte
    /// as word2vec.c does (every value printed with six decimals and followed by a space); read leniently.
    /// </summary>
    Word2VecText,

    /// <summary>
    /// word2vec's binary output: a "count dim" header line, then per word its UTF-8 bytes, a space,
    /// dim little-endian float32 values and a newline (readers also accept files without that newline).
    /// </summary>
    Word2VecBinary,

    /// <summary>
    /// fastText's .vec output: the word2vec text layout with values printed as fastText prints them
    /// (five significant digits, each followed by a space).
    /// </summary>
    FastTextVec,

    /// <summary>EmbedEngine's own format (.eev): checksummed, 64-byte aligned, memory-mapped on load.</summary>
    Native,

    /// <summary>
    /// GloVe's text output: no header, "word v1 ... vn" per line, values printed with six decimals. Without a header
    /// the dimension comes from the first row, and a file cut exactly between rows cannot be told from a shorter one;
    /// a row cut in the middle is still refused.
    /// </summary>
    GloVeText,
}
