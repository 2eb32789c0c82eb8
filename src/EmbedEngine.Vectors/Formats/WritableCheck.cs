using System.Buffers;
using System.Text;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Refuses, before a file is created, vectors that would be written into a file no reader accepts: loaders refuse
/// NaN and infinity, text and word2vec layouts cannot hold a word that is empty or contains whitespace, and no
/// layout can hold a string that is not valid Unicode.
/// </summary>
internal static class WritableCheck
{
    private static readonly SearchValues<char> AsciiWhitespace = SearchValues.Create(" \t\r\n\v\f");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first word or value that cannot be written.</summary>
    public static void Check(KeyedVectors vectors, VectorFormat format)
    {
        bool wordsAreTokens = format != VectorFormat.Native;
        for (int row = 0; row < vectors.Count; row++)
        {
            string word = vectors.Words[row];
            if (wordsAreTokens && (word.Length == 0 || word.AsSpan().ContainsAny(AsciiWhitespace)))
                throw new ArgumentException(
                    $"Word {row} ('{word}') is empty or contains whitespace, which {format} cannot store.", nameof(vectors));
            try
            {
                StrictUtf8.GetByteCount(word);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException($"Word {row} ('{word}') is not valid Unicode (a lone surrogate).", nameof(vectors), e);
            }
            int bad = FiniteCheck.IndexOfNonFinite(vectors.Vector(row));
            if (bad >= 0)
                throw new ArgumentException(
                    $"Value {bad + 1} of '{word}' is {vectors.Vector(row)[bad]}; only finite values can be saved.", nameof(vectors));
        }
    }
}
