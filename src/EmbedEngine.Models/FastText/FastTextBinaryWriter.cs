using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;

namespace EmbedEngine.Models.FastText;

/// <summary>Writes the fields of <see cref="FastTextBinaryFile"/> in fastText's order.</summary>
internal static class FastTextBinaryWriter
{
    /// <summary>fastText's "no pruned n-gram index" marker: -1, not 0, which would mean every n-gram was pruned.</summary>
    private const long NoPruneIndex = -1;

    /// <summary>Refuses lone surrogates instead of silently writing U+FFFD, so a saved word always loads as itself.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Refuses NaN and infinity before any file is created: the reader refuses them, so such a model could be saved
    /// but never loaded again.
    /// </summary>
    public static void RequireFinite(NativeMatrix matrix, string name)
    {
        for (int row = 0; row < matrix.Rows; row++)
        {
            int column = matrix.Row(row).IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (column >= 0)
                throw new ArgumentException(
                    $"The {name} matrix holds {matrix.Row(row)[column]} at row {row}, column {column}; only finite values can be saved.");
        }
    }

    public static void Write(Stream stream, FastTextModel model)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(FastTextBinaryFile.Magic);
        writer.Write(FastTextBinaryFile.Version);
        WriteArgs(writer, model.Args);
        WriteDictionary(writer, model.Dictionary);
        if (model.QuantizedInput is { } quantizedInput)
        {
            writer.Write(true);
            QuantizedMatrixFormat.Write(writer, quantizedInput);
        }
        else WriteInput(writer, model);
        if (model.QuantizedOutput is { } quantizedOutput)
        {
            writer.Write(true);
            QuantizedMatrixFormat.Write(writer, quantizedOutput);
        }
        else WriteMatrix(writer, model.Output);
    }

    private static void WriteArgs(BinaryWriter writer, FastTextArgs args)
    {
        writer.Write(args.Dimension);
        writer.Write(args.WindowSize);
        writer.Write(args.Epochs);
        writer.Write(args.MinCount);
        writer.Write(args.NegativeSamples);
        writer.Write(args.WordNgrams);
        writer.Write((int)args.Loss);
        writer.Write((int)args.Model);
        writer.Write(args.Buckets);
        writer.Write(args.MinN);
        writer.Write(args.MaxN);
        writer.Write(args.LearningRateUpdateRate);
        writer.Write(args.SamplingThreshold);
    }

    private static void WriteDictionary(BinaryWriter writer, FastTextDictionary dictionary)
    {
        writer.Write(dictionary.Entries.Count);
        writer.Write(dictionary.WordCount);
        writer.Write(dictionary.LabelCount);
        writer.Write(dictionary.TokenCount);
        writer.Write(dictionary.PrunedBuckets?.Count ?? NoPruneIndex);
        for (int id = 0; id < dictionary.Entries.Count; id++)
        {
            string entry = dictionary.Entries[id];
            if (entry.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException($"Entry {id} contains a NUL character, which ends an entry in fastText's format.");
            writer.Write(StrictUtf8.GetBytes(entry));
            writer.Write((byte)0); // fastText's entries end with a NUL instead of carrying a length
            writer.Write(dictionary.Count(id));
            writer.Write((byte)dictionary.TypeOf(id));
        }
        foreach ((int bucket, int row) in dictionary.PrunedBuckets ?? [])
        {
            writer.Write(bucket);
            writer.Write(row);
        }
    }

    /// <summary>
    /// The dense input matrix as <see cref="WriteMatrix"/> writes one, every bucket row included. On a seekable
    /// stream the zero rows of untouched buckets are skipped rather than written, so the file holds them as holes:
    /// they read back as zeros, yet cost neither disk space nor the time to write and flush them to disk (most of a
    /// 1.6 GB model with 2M buckets).
    /// </summary>
    private static void WriteInput(BinaryWriter writer, FastTextModel model)
    {
        long rows = FastTextModel.InputRows(model.Args, model.Dictionary);
        WriteDenseHeader(writer, rows, model.Dimension);
        Stream stream = writer.BaseStream;
        long rowBytes = (long)model.Dimension * sizeof(float), skipped = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> values = model.InputRow(row);
            if (stream.CanSeek && !values.ContainsAnyExcept(0f))
            {
                skipped += rowBytes;
                continue;
            }
            if (skipped > 0) Skip(writer, skipped);
            skipped = 0;
            writer.Write(MemoryMarshal.AsBytes(values));
        }
        if (skipped == 0) return;
        // A write past the end leaves a hole; only trailing zeros need the length set.
        Skip(writer, skipped);
        writer.BaseStream.SetLength(writer.BaseStream.Position);
    }

    /// <summary>Moves the stream past <paramref name="bytes"/> zero bytes without writing them.</summary>
    private static void Skip(BinaryWriter writer, long bytes)
    {
        writer.Flush();
        writer.BaseStream.Position += bytes;
    }

    /// <summary>The header of a dense matrix, then the used columns of each row (a padded stride is dropped).</summary>
    private static void WriteMatrix(BinaryWriter writer, NativeMatrix matrix)
    {
        WriteDenseHeader(writer, matrix.Rows, matrix.Columns);
        for (int row = 0; row < matrix.Rows; row++) writer.Write(MemoryMarshal.AsBytes<float>(matrix.Row(row)));
    }

    /// <summary>A dense matrix's header: the "quantized" flag (false; for the output, fastText's qout) and the shape.</summary>
    private static void WriteDenseHeader(BinaryWriter writer, long rows, long columns)
    {
        writer.Write(false);
        writer.Write(rows);
        writer.Write(columns);
    }
}
