using System.Globalization;

namespace EmbedEngine.Models.Count;

/// <summary>
/// A limit on how many documents may hold a term, as scikit-learn's <c>min_df</c> and <c>max_df</c>: either a
/// count of documents or a fraction of them.
/// </summary>
/// <param name="Value">A count (a whole number, at least 0) or a fraction in [0, 1].</param>
/// <param name="IsFraction">Whether <paramref name="Value"/> is a fraction of the documents.</param>
public readonly record struct DocumentFrequencyBound(double Value, bool IsFraction)
{
    /// <summary>A count of documents.</summary>
    public static DocumentFrequencyBound Documents(int count) => new(count, false);

    /// <summary>A fraction of the documents.</summary>
    public static DocumentFrequencyBound Fraction(double fraction) => new(fraction, true);

    /// <summary>
    /// Reads "2" as two documents and "0.5" or "1.0" as a fraction: a decimal point (or exponent) marks a fraction,
    /// as Python's int and float literals do for scikit-learn.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a number, or is out of range.</exception>
    public static DocumentFrequencyBound Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool fraction = text.IndexOfAny(['.', 'e', 'E']) >= 0;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new ArgumentException($"{name} must be a document count such as 2 or a fraction such as 0.5, not '{text}'.");
        var bound = new DocumentFrequencyBound(value, fraction);
        bound.Validate(name);
        return bound;
    }

    /// <summary>The limit in documents, for a corpus of <paramref name="documents"/> documents.</summary>
    public double Resolve(int documents) => IsFraction ? Value * documents : Value;

    /// <summary>Checks the value's range.</summary>
    /// <exception cref="ArgumentException">A fraction outside [0, 1] or a count that is negative or not whole.</exception>
    public void Validate(string name)
    {
        if (IsFraction && !(Value is >= 0 and <= 1))
            throw new ArgumentException($"{name} as a fraction must lie in [0, 1], but it is {Value.ToString(CultureInfo.InvariantCulture)}.");
        if (!IsFraction && !(Value >= 0 && Value == Math.Floor(Value) && Value <= int.MaxValue))
            throw new ArgumentException($"{name} as a document count must be a whole number of at least 0, but it is {Value.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>"2" for a count, "0.5" for a fraction, so <see cref="Parse"/> reads it back.</summary>
    public override string ToString() => IsFraction
        ? Value.ToString("0.0###############", CultureInfo.InvariantCulture)
        : Value.ToString(CultureInfo.InvariantCulture);
}
