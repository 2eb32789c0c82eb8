using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// Reads <see cref="FastTextBinaryFile"/>'s layout field by field. Every count is checked before it is used to
/// allocate: against hard limits, against the settings, and against the bytes left in the file.
/// </summary>
internal static class FastTextBinaryReader
{
    /// <summary>Largest accepted dimension; real embeddings stay below a few thousand.</summary>
    private const int MaxDimension = 1_000_000;

    /// <summary>fastText's own dictionary limit (MAX_VOCAB_SIZE); it cannot write more entries.</summary>
    private const int MaxEntries = 30_000_000;

    /// <summary>Longest accepted entry: far beyond any real token, short enough that a missing NUL is caught quickly.</summary>
    private const int MaxEntryBytes = 1 << 16;

    /// <summary>The smallest entry: an empty word, its NUL, an int64 count and a type byte.</summary>
    private const int MinEntryBytes = 1 + sizeof(long) + 1;

    /// <summary>What follows the dictionary before the input values: a flag and two int64 sizes.</summary>
    private const int MatrixHeaderBytes = 1 + 2 * sizeof(long);

    /// <summary>One pruned-index pair: an int32 bucket and an int32 row.</summary>
    private const int PruneIndexPairBytes = 2 * sizeof(int);

    /// <summary>fastText writes -1 when no n-gram was pruned; anything else comes from quantize -cutoff.</summary>
    private const long NoPruneIndex = -1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static FastTextModel Read(string path)
    {
        using var input = new FastTextFileInput(path);
        NativeMatrix? inputMatrix = null, outputMatrix = null;
        try
        {
            ReadSignature(input);
            FastTextArgs args = ReadArgs(input);
            FastTextDictionary dictionary = ReadDictionary(input, args);
            long inputRows = FastTextModel.InputRows(args, dictionary);
            int outputRows = FastTextModel.OutputRows(args, dictionary);
            QuantizedMatrix? quantizedInput = null, quantizedOutput = null;
            if (ReadQuantizedFlag(input, "input", args))
                quantizedInput = QuantizedMatrixFormat.Read(input, "input", inputRows, args.Dimension);
            else inputMatrix = ReadMatrix(input, "input", inputRows, args.Dimension);
            long outputFlagOffset = input.Position;
            if (ReadQuantizedFlag(input, "output", args))
            {
                // fastText reads the qout flag of a dense model but only honours it for a quantized input.
                if (quantizedInput is null)
                    throw input.Fail(outputFlagOffset, "the output matrix is marked quantized but the input matrix is not; fastText never writes that.");
                quantizedOutput = QuantizedMatrixFormat.Read(input, "output", outputRows, args.Dimension);
            }
            else outputMatrix = ReadMatrix(input, "output", outputRows, args.Dimension);
            if (input.Remaining > 0)
                throw input.Fail(input.Position, $"{input.Remaining} bytes follow the output matrix; expected the end of the file.");
            if (quantizedInput is null) return new FastTextModel(args, dictionary, inputMatrix!, outputMatrix!);
            return quantizedOutput is null
                ? new FastTextModel(args, dictionary, quantizedInput, outputMatrix!)
                : new FastTextModel(args, dictionary, quantizedInput, quantizedOutput);
        }
        catch (Exception e)
        {
            inputMatrix?.Dispose();
            outputMatrix?.Dispose();
            // What the dictionary and model constructors refuse (a repeated entry, impossible n-gram lengths) is bad input here.
            if (e is ArgumentException) throw VectorFormatException.InFile(path, e.Message, e);
            throw;
        }
    }

    /// <summary>The flag before a matrix: whether it is product-quantized (a .ftz), which only a classifier may be.</summary>
    private static bool ReadQuantizedFlag(FastTextFileInput input, string name, FastTextArgs args)
    {
        long offset = input.Position;
        byte flag = input.ReadByte($"the {name} matrix's quantization flag");
        if (flag > 1) throw input.Fail(offset, $"the {name} matrix's quantization flag is {flag}; expected 0 or 1.");
        if (flag == 1 && args.Model != FastTextModelKind.Supervised)
            throw input.Fail(offset, $"the {name} matrix is quantized, but only supervised models are; this is a {args.Model} model.");
        return flag == 1;
    }

    private static void ReadSignature(FastTextFileInput input)
    {
        int magic = input.ReadInt32("the magic number");
        if (magic != FastTextBinaryFile.Magic)
            throw input.Fail(0, $"the magic number is {magic}, not fastText's {FastTextBinaryFile.Magic}; this is not a fastText binary model.");
        int version = input.ReadInt32("the version");
        if (version != FastTextBinaryFile.Version)
            throw input.Fail(sizeof(int), $"the model is version {version}; only version {FastTextBinaryFile.Version} is supported.");
    }

    private static FastTextArgs ReadArgs(FastTextFileInput input)
    {
        long dimensionOffset = input.Position;
        int dimension = input.ReadInt32("the dimension");
        if (dimension < 1 || dimension > MaxDimension)
            throw input.Fail(dimensionOffset, $"the dimension {dimension} is outside 1..{MaxDimension}.");
        int windowSize = input.ReadInt32("the window size");
        int epochs = input.ReadInt32("the epoch count");
        int minCount = input.ReadInt32("the minimum count");
        int negativeSamples = input.ReadInt32("the negative sample count");
        int wordNgrams = input.ReadInt32("the word n-gram length");
        long lossOffset = input.Position;
        var loss = (FastTextLoss)input.ReadInt32("the loss");
        if (!Enum.IsDefined(loss)) throw input.Fail(lossOffset, $"the loss {(int)loss} is not one of fastText's 1..4.");
        long modelOffset = input.Position;
        var model = (FastTextModelKind)input.ReadInt32("the model kind");
        if (!Enum.IsDefined(model)) throw input.Fail(modelOffset, $"the model kind {(int)model} is not one of fastText's 1..3.");
        long bucketsOffset = input.Position;
        int buckets = input.ReadInt32("the bucket count");
        if (buckets < 0) throw input.Fail(bucketsOffset, $"the bucket count {buckets} is negative.");
        return new FastTextArgs
        {
            Dimension = dimension,
            WindowSize = windowSize,
            Epochs = epochs,
            MinCount = minCount,
            NegativeSamples = negativeSamples,
            WordNgrams = wordNgrams,
            Loss = loss,
            Model = model,
            Buckets = buckets,
            MinN = input.ReadInt32("the shortest n-gram length"),
            MaxN = input.ReadInt32("the longest n-gram length"),
            LearningRateUpdateRate = input.ReadInt32("the learning-rate update rate"),
            SamplingThreshold = input.ReadDouble("the sampling threshold"),
        };
    }

    private static FastTextDictionary ReadDictionary(FastTextFileInput input, FastTextArgs args)
    {
        long sizeOffset = input.Position;
        int size = input.ReadInt32("the dictionary size");
        int wordCount = input.ReadInt32("the word count");
        int labelCount = input.ReadInt32("the label count");
        long tokenCount = input.ReadInt64("the token count");
        long pruneIndexOffset = input.Position;
        long pruneIndexSize = input.ReadInt64("the pruned n-gram count");
        if (size < 0 || size > MaxEntries || wordCount < 0 || labelCount < 0 || (long)wordCount + labelCount != size)
            throw input.Fail(sizeOffset,
                $"the dictionary announces {size} entries, {wordCount} words and {labelCount} labels; expected "
                + $"words + labels = entries, none negative, at most {MaxEntries}.");
        if (tokenCount < 0) throw input.Fail(sizeOffset + 3 * sizeof(int), $"the token count {tokenCount} is negative.");
        if (pruneIndexSize < NoPruneIndex || pruneIndexSize > args.Buckets)
            throw input.Fail(pruneIndexOffset,
                $"the pruned n-gram index announces {pruneIndexSize} buckets; expected -1 (none) or 0..{args.Buckets}, the bucket count.");
        if ((long)wordCount + args.Buckets > Array.MaxLength)
            throw input.Fail(sizeOffset,
                $"{wordCount} words and {args.Buckets} buckets make more input rows than the limit of {Array.MaxLength}.");
        long needed = (long)size * MinEntryBytes + Math.Max(0, pruneIndexSize) * PruneIndexPairBytes + MatrixHeaderBytes;
        if (needed > input.Remaining)
            throw input.Fail(sizeOffset,
                $"the dictionary announces {size} entries, which need at least {needed} bytes with the matrix header, "
                + $"but only {input.Remaining} follow; the file is truncated or the size is wrong.");

        var entries = new string[size];
        var counts = new long[size];
        var types = new FastTextEntryType[size];
        var buffer = new byte[MaxEntryBytes];
        for (int id = 0; id < size; id++)
        {
            long entryOffset = input.Position;
            int length = input.ReadUntilNul(buffer, $"dictionary entry {id}");
            entries[id] = Decode(input, entryOffset, buffer.AsSpan(0, length), id);
            counts[id] = input.ReadInt64($"the count of '{entries[id]}'");
            if (counts[id] < 0) throw input.Fail(entryOffset, $"the count {counts[id]} of '{entries[id]}' is negative.");
            long typeOffset = input.Position;
            byte type = input.ReadByte($"the type of '{entries[id]}'");
            types[id] = (FastTextEntryType)type;
            if (!Enum.IsDefined(types[id]))
                throw input.Fail(typeOffset, $"'{entries[id]}' has the entry type {type}; expected 0 (word) or 1 (label).");
            if ((id < wordCount) != (types[id] == FastTextEntryType.Word))
                throw input.Fail(entryOffset,
                    $"entry {id} '{entries[id]}' is a {types[id].ToString().ToLowerInvariant()}; expected the "
                    + $"{wordCount} words first, then the {labelCount} labels.");
        }
        return new FastTextDictionary(entries, counts, types, tokenCount, ReadPrunedBuckets(input, pruneIndexSize));
    }

    /// <summary>fastText's pruneidx pairs (bucket, kept row), in the file's order so a saved model is rewritten byte for byte.</summary>
    private static (int Bucket, int Row)[]? ReadPrunedBuckets(FastTextFileInput input, long count)
    {
        if (count == NoPruneIndex) return null;
        var pairs = new (int Bucket, int Row)[count];
        for (int i = 0; i < pairs.Length; i++)
            pairs[i] = (input.ReadInt32("a pruned bucket"), input.ReadInt32("a pruned bucket's row"));
        return pairs;
    }

    private static string Decode(FastTextFileInput input, long offset, ReadOnlySpan<byte> bytes, int id)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw input.Fail(offset, $"dictionary entry {id} is not valid UTF-8.");
        }
    }

    /// <summary>Reads one dense matrix after checking its shape and that its values fit in the rest of the file.</summary>
    private static unsafe NativeMatrix ReadMatrix(FastTextFileInput input, string name, long rows, int columns)
    {
        long shapeOffset = input.Position;
        long fileRows = input.ReadInt64($"the {name} matrix's row count");
        long fileColumns = input.ReadInt64($"the {name} matrix's column count");
        if (fileRows != rows || fileColumns != columns)
            throw input.Fail(shapeOffset,
                $"the {name} matrix is {fileRows} x {fileColumns}; the settings and dictionary call for {rows} x {columns}.");
        // rows < 2^31 and columns <= 10^6, so the byte count cannot overflow a long.
        long valueBytes = rows * columns * sizeof(float);
        if (valueBytes > input.Remaining)
            throw input.Fail(input.Position,
                $"the {name} matrix needs {valueBytes} bytes of values, but only {input.Remaining} are left; it is truncated.");

        var matrix = NativeMatrix.Allocate((int)rows, columns);
        try
        {
            ReadValues(input, name, matrix.Data, valueBytes);
            return matrix;
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    /// <summary>Reads the values in spans of at most 1 GiB and refuses NaN and infinity, which would poison every vector they touch.</summary>
    private static unsafe void ReadValues(FastTextFileInput input, string name, float* values, long valueBytes)
    {
        const int ChunkBytes = 1 << 30;
        long valuesOffset = input.Position;
        for (long done = 0; done < valueBytes; done += ChunkBytes)
        {
            int chunk = (int)Math.Min(ChunkBytes, valueBytes - done);
            var floats = new Span<float>((byte*)values + done, chunk / sizeof(float));
            input.Read(new Span<byte>((byte*)values + done, chunk), $"the {name} matrix");
            for (int i = 0; i < floats.Length; i++)
            {
                if (!float.IsFinite(floats[i]))
                    throw input.Fail(valuesOffset + done + (long)i * sizeof(float),
                        $"a value of the {name} matrix is {floats[i]}; expected a finite float32.");
            }
        }
    }
}
