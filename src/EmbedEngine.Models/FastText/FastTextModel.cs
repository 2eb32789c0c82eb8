using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// A fastText model: its settings, its dictionary, the input matrix (one row per word, then one per hash bucket)
/// and the output matrix (one row per word, or per label for the classifier). A word's vector is the average of
/// the input rows of its subwords, so words never seen in training get vectors from their character n-grams.
/// A quantized classifier (fastText's .ftz) has a product-quantized input matrix and, with <c>-qout</c>, output matrix.
/// Read-only after construction and safe to query from several threads at once.
/// </summary>
public sealed class FastTextModel : IDisposable
{
    /// <summary>fastText's end-of-line token: a word of the dictionary that never gets character n-grams.</summary>
    public const string EndOfSentence = "</s>";

    private readonly NativeMatrix? _input, _output;

    /// <summary>For a model that stores only the bucket rows training touched: each bucket's row, or −1 (a zero row).</summary>
    private readonly ReadOnlyMemory<int>? _rowOfBucket;

    /// <summary>What an untouched bucket's row holds.</summary>
    private readonly float[] _zeroRow = [];

    /// <summary>Assembles a model from what training (or a file) produced.</summary>
    /// <param name="args">The settings; dimension, buckets and n-gram lengths must match the matrices.</param>
    /// <param name="dictionary">The words (and labels) in row order.</param>
    /// <param name="input">
    /// Word rows then bucket rows: <see cref="InputRows"/> rows of <c>args.Dimension</c>.
    /// On success the model owns it; if the constructor throws, the caller still does.
    /// </param>
    /// <param name="output">
    /// One row of <c>args.Dimension</c> per word (per label for <see cref="FastTextModelKind.Supervised"/>);
    /// owned like <paramref name="input"/>.
    /// </param>
    /// <exception cref="ArgumentException">The shapes do not match, or the n-gram settings are out of range.</exception>
    public FastTextModel(FastTextArgs args, FastTextDictionary dictionary, NativeMatrix input, NativeMatrix output)
        : this(args, dictionary, output)
    {
        ArgumentNullException.ThrowIfNull(input);
        long inputRows = InputRows(args, dictionary);
        if (input.Rows != inputRows || input.Columns != args.Dimension)
            throw new ArgumentException(
                $"The input matrix is {input.Rows} x {input.Columns}; expected {inputRows} x {args.Dimension} "
                + $"({dictionary.WordCount} words + {inputRows - dictionary.WordCount} bucket rows, dimension {args.Dimension}).", nameof(input));
        _input = input;
    }

    /// <summary>
    /// Assembles a model whose input matrix holds the word rows and only the bucket rows that some n-gram of a word
    /// hits (as training leaves it): the other buckets never received a gradient and read as zero rows. fastText
    /// allocates them all and leaves them at their starting values, or at zero past the first rows with few
    /// threads; their only effect is noise in the vectors of unseen words, while they cost most of the memory.
    /// Saved, the model has fastText's full layout. <paramref name="rowOfBucket"/> holds each bucket's row in
    /// <paramref name="input"/> (after the word rows), or −1; the model keeps it, unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or the map do not match.</exception>
    internal FastTextModel(FastTextArgs args, FastTextDictionary dictionary, NativeMatrix input, ReadOnlyMemory<int> rowOfBucket, NativeMatrix output)
        : this(args, dictionary, output)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (dictionary.PrunedBuckets is not null || rowOfBucket.Length != args.Buckets)
            throw new ArgumentException($"The bucket map has {rowOfBucket.Length} entries; expected one per bucket ({args.Buckets}) and no pruned index.", nameof(rowOfBucket));
        int words = dictionary.WordCount, stored = input.Rows - words;
        foreach (int row in rowOfBucket.Span)
            if (row >= words + stored || (row < words && row != -1))
                throw new ArgumentException($"The bucket map points at row {row}; the input matrix has {input.Rows} rows, {words} of them words.", nameof(rowOfBucket));
        if (input.Columns != args.Dimension || stored < 0)
            throw new ArgumentException($"The input matrix is {input.Rows} x {input.Columns}; expected at least {words} rows of {args.Dimension}.", nameof(input));
        _input = input;
        _rowOfBucket = rowOfBucket;
        _zeroRow = new float[args.Dimension];
    }

    /// <summary>The checks and settings every dense model shares; the caller sets the input matrix.</summary>
    private FastTextModel(FastTextArgs args, FastTextDictionary dictionary, NativeMatrix output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentNullException.ThrowIfNull(output);
        int outputRows = OutputRows(args, dictionary);
        if (output.Rows != outputRows || output.Columns != args.Dimension)
            throw new ArgumentException(
                $"The output matrix is {output.Rows} x {output.Columns}; expected {outputRows} x {args.Dimension}.",
                nameof(output));
        Ngrams = new CharacterNgrams(args.MinN, args.MaxN, args.Buckets);
        Args = args;
        Dictionary = dictionary;
        _output = output;
    }

    /// <summary>Assembles a quantized model (fastText's .ftz): a quantized input matrix and a dense output matrix.</summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the model is not supervised.</exception>
    public FastTextModel(FastTextArgs args, FastTextDictionary dictionary, QuantizedMatrix input, NativeMatrix output)
        : this(args, dictionary, input, output.Rows, output.Columns) => _output = output;

    /// <summary>Assembles a quantized model whose output matrix is quantized too (<c>quantize -qout</c>).</summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the model is not supervised.</exception>
    public FastTextModel(FastTextArgs args, FastTextDictionary dictionary, QuantizedMatrix input, QuantizedMatrix output)
        : this(args, dictionary, input, output.Rows, output.Columns) => QuantizedOutput = output;

    private FastTextModel(FastTextArgs args, FastTextDictionary dictionary, QuantizedMatrix input, int outputRows, int outputColumns)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(dictionary);
        ArgumentNullException.ThrowIfNull(input);
        if (args.Model != FastTextModelKind.Supervised)
            throw new ArgumentException($"Only supervised models are quantized; this is a {args.Model} model.", nameof(args));
        long inputRows = InputRows(args, dictionary);
        if (input.Rows != inputRows || input.Columns != args.Dimension)
            throw new ArgumentException(
                $"The quantized input matrix is {input.Rows} x {input.Columns}; expected {inputRows} x {args.Dimension}.", nameof(input));
        if (outputRows != OutputRows(args, dictionary) || outputColumns != args.Dimension)
            throw new ArgumentException(
                $"The output matrix is {outputRows} x {outputColumns}; expected {OutputRows(args, dictionary)} x {args.Dimension}.");
        Ngrams = new CharacterNgrams(args.MinN, args.MaxN, args.Buckets);
        Args = args;
        Dictionary = dictionary;
        QuantizedInput = input;
    }

    /// <summary>The stored training settings.</summary>
    public FastTextArgs Args { get; }

    /// <summary>The character n-gram scheme of the settings (none when maxn is 0).</summary>
    public CharacterNgrams Ngrams { get; }

    /// <summary>The words and labels.</summary>
    public FastTextDictionary Dictionary { get; }

    /// <summary>Word rows, then bucket rows (character and word n-grams).</summary>
    /// <exception cref="InvalidOperationException">
    /// The input matrix is quantized (see <see cref="QuantizedInput"/>), or holds only the bucket rows training touched
    /// (read those through <see cref="InputRow"/>).
    /// </exception>
    public NativeMatrix Input => _rowOfBucket is not null
        ? throw new InvalidOperationException("The input matrix holds only the bucket rows training touched; read rows through InputRow.")
        : _input ?? throw new InvalidOperationException("The input matrix is quantized (a .ftz model).");

    /// <summary>
    /// Row <paramref name="row"/> of the input matrix in fastText's layout (words, then every bucket), whether the
    /// model stores every row or only those training touched (an untouched bucket reads as zeros).
    /// </summary>
    /// <exception cref="InvalidOperationException">The input matrix is quantized.</exception>
    public ReadOnlySpan<float> InputRow(int row)
    {
        if (_rowOfBucket is null || row < Dictionary.WordCount) return (_input ?? Input).Row(row);
        int stored = _rowOfBucket.Value.Span[row - Dictionary.WordCount];
        return stored < 0 ? _zeroRow : _input!.Row(stored);
    }

    /// <summary>The dense input matrix as stored: every row, or the words' and the touched buckets' rows.</summary>
    internal NativeMatrix StoredInput => _input ?? Input;

    /// <summary>Output rows: one per word, or one per label for the classifier.</summary>
    /// <exception cref="InvalidOperationException">The output matrix is quantized: see <see cref="QuantizedOutput"/>.</exception>
    public NativeMatrix Output => _output ?? throw new InvalidOperationException("The output matrix is quantized (quantize -qout).");

    /// <summary>The quantized input matrix of a .ftz model, or null when it is dense.</summary>
    public QuantizedMatrix? QuantizedInput { get; }

    /// <summary>The quantized output matrix of a .ftz model made with <c>-qout</c>, or null when it is dense.</summary>
    public QuantizedMatrix? QuantizedOutput { get; }

    /// <summary>Length of every vector.</summary>
    public int Dimension => Args.Dimension;

    /// <summary>Rows of the input matrix: one per word, then one per bucket (or per bucket a pruned index kept).</summary>
    public static long InputRows(FastTextArgs args, FastTextDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(dictionary);
        return (long)dictionary.WordCount + dictionary.BucketRows(args.Buckets);
    }

    /// <summary>
    /// Rows of the output matrix the model needs: one per label for the classifier, one per word otherwise.
    /// </summary>
    public static int OutputRows(FastTextArgs args, FastTextDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(dictionary);
        return args.Model == FastTextModelKind.Supervised ? dictionary.LabelCount : dictionary.WordCount;
    }

    /// <summary>
    /// The input rows whose average is the vector of <paramref name="word"/>, in fastText's order: for an entry of
    /// the dictionary its own row, then its n-gram buckets (none for <see cref="EndOfSentence"/>); for any other
    /// word only its n-gram buckets. Bucket b is row WordCount + b, unless a pruned index maps or drops it.
    /// </summary>
    public IReadOnlyList<int> Subwords(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var rows = new List<int>();
        int id = Dictionary.IdOf(word);
        if (id >= 0) rows.Add(id);
        if (word == EndOfSentence) return rows;
        var buckets = new List<int>();
        Ngrams.AppendBuckets(Encoding.UTF8.GetBytes(word), buckets);
        foreach (int bucket in buckets)
        {
            int row = Dictionary.BucketRow(bucket);
            if (row >= 0) rows.Add(row);
        }
        return rows;
    }

    /// <summary>The vector of <paramref name="word"/>, seen in training or not, as fastText's getWordVector computes it.</summary>
    /// <returns>The average of the <see cref="Subwords"/> rows; zeros when the word has none.</returns>
    public float[] WordVector(string word)
    {
        var vector = new float[Dimension];
        WordVector(word, vector);
        return vector;
    }

    /// <summary>Writes the vector of <paramref name="word"/> (see <see cref="WordVector(string)"/>) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination length is not <see cref="Dimension"/>.</exception>
    public void WordVector(string word, Span<float> destination) => TryWordVector(word, destination);

    /// <summary>
    /// Writes the vector of <paramref name="word"/> (see <see cref="WordVector(string)"/>) into
    /// <paramref name="destination"/>; returns false, with zeros written, when the word has no row (no n-gram of it
    /// survives, or the model has no n-grams).
    /// </summary>
    /// <exception cref="ArgumentException">The destination length is not <see cref="Dimension"/>.</exception>
    public bool TryWordVector(string word, Span<float> destination)
    {
        if (destination.Length != Dimension)
            throw new ArgumentException($"Expected {Dimension} values, got {destination.Length}.", nameof(destination));
        IReadOnlyList<int> rows = Subwords(word);
        destination.Clear();
        // Summed in fastText's order and scaled by a float reciprocal, as fastText does, for bit-identical vectors.
        foreach (int row in rows) AxpyKernel.Axpy(1f, InputRow(row), destination);
        if (rows.Count > 0) ScaleKernel.Scale((float)(1.0 / rows.Count), destination);
        return rows.Count > 0;
    }

    /// <summary>
    /// The vectors of the dictionary's words (not labels), most frequent first: what fastText writes to its .vec
    /// file, ready for search, evaluation and the other vector formats.
    /// </summary>
    public KeyedVectors ToKeyedVectors()
    {
        int words = Dictionary.WordCount;
        var matrix = NativeMatrix.Allocate(words, Dimension);
        try
        {
            for (int id = 0; id < words; id++) WordVector(Dictionary.Entries[id], matrix.Row(id));
            return new KeyedVectors(Dictionary.Entries.Take(words).ToArray(), matrix);
        }
        catch
        {
            matrix.Dispose();
            throw;
        }
    }

    /// <summary>Frees the dense matrices (quantized ones live on the managed heap).</summary>
    public void Dispose()
    {
        _input?.Dispose();
        _output?.Dispose();
    }
}
