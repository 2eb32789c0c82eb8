using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EmbedEngine.Text;

/// <summary>
/// Draws negative-sampling noise words with probability proportional to count^power (0.75 in word2vec), in O(1)
/// per draw by Walker's alias method. It needs 8 bytes per word, where word2vec.c's 1e8-entry unigram table needs
/// 400 MB, and it is exact where that table rounds rare words to zero or one entry. Thread-safe once built.
/// </summary>
public sealed class NoiseSampler
{
    /// <summary>word2vec's exponent: flattens the unigram distribution so rare words are drawn more often.</summary>
    public const double DefaultPower = 0.75;

    /// <summary>2^32, the scale of the 32-bit acceptance thresholds.</summary>
    private const double ThresholdScale = 4294967296.0;

    private readonly Column[] _columns;
    private readonly double[] _probabilities;

    /// <summary>Builds the alias table (Vose's algorithm) for <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The words and their frequencies.</param>
    /// <param name="power">The exponent applied to each count; 0 draws uniformly.</param>
    public NoiseSampler(Vocabulary vocabulary, double power = DefaultPower)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!double.IsFinite(power)) throw new ArgumentOutOfRangeException(nameof(power), power, "The power must be finite.");
        int count = vocabulary.Count;
        _probabilities = new double[count];
        double total = 0;
        for (int id = 0; id < count; id++)
        {
            _probabilities[id] = Math.Pow(vocabulary.Frequency(id), power);
            total += _probabilities[id];
        }
        for (int id = 0; id < count; id++) _probabilities[id] /= total;
        _columns = BuildColumns(_probabilities);
    }

    /// <summary>
    /// One of the equal-width columns a draw lands in: the draw keeps the column's own word when its low 32 bits
    /// fall below <see cref="Threshold"/>, and takes <see cref="Alias"/> otherwise. Threshold and alias sit
    /// together so a draw touches one cache line.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Column
    {
        public uint Threshold;
        public int Alias;
    }

    /// <summary>The probability of drawing word <paramref name="id"/>.</summary>
    public double Probability(int id) => _probabilities[id];

    /// <summary>Maps 64 uniform random bits to a noise word id.</summary>
    /// <param name="random">Uniform random bits: the high 32 pick a column, the low 32 decide between its two words.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sample(ulong random)
    {
        // Lemire's multiply-shift maps 32 bits onto [0, count) without a division.
        int column = (int)(((random >> 32) * (ulong)_columns.Length) >> 32);
        // column < Length by construction, so the bounds check can go.
        Column chosen = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_columns), column);
        return (uint)random < chosen.Threshold ? column : chosen.Alias;
    }

    private static Column[] BuildColumns(double[] probabilities)
    {
        int count = probabilities.Length;
        var columns = new Column[count];
        var scaled = new double[count];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int id = 0; id < count; id++)
        {
            scaled[id] = probabilities[id] * count;
            (scaled[id] < 1 ? small : large).Push(id);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int under = small.Pop();
            int over = large.Pop();
            columns[under] = new Column { Threshold = ToThreshold(scaled[under]), Alias = over };
            scaled[over] -= 1 - scaled[under];
            (scaled[over] < 1 ? small : large).Push(over);
        }
        // What is left is full up to rounding: the column always keeps its own word, whatever the threshold says.
        foreach (int id in large) columns[id] = new Column { Threshold = uint.MaxValue, Alias = id };
        foreach (int id in small) columns[id] = new Column { Threshold = uint.MaxValue, Alias = id };
        return columns;
    }

    private static uint ToThreshold(double probability) =>
        (uint)Math.Clamp(probability * ThresholdScale, 0, uint.MaxValue);
}
