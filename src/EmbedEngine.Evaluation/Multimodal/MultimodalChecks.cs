namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Argument checks shared by the multimodal evaluations; each throws an <see cref="ArgumentException"/> whose message
/// names the argument and says what was expected.
/// </summary>
internal static class MultimodalChecks
{
    /// <summary>The matrix has rows, and every element is finite (a NaN would make every ranking meaningless).</summary>
    public static void NonEmptyFinite(EmbeddingMatrix matrix, string name)
    {
        if (matrix.Rows == 0) throw new ArgumentException($"'{name}' has no rows.", name);
        float[] data = matrix.Data;
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i]))
                throw new ArgumentException(
                    $"Row {i / matrix.Dimension}, column {i % matrix.Dimension} of '{name}' is {data[i]}; embeddings must be finite.", name);
    }

    /// <summary>Both matrices have the same dimension.</summary>
    public static void SameDimension(EmbeddingMatrix first, string firstName, EmbeddingMatrix second, string secondName)
    {
        if (first.Dimension != second.Dimension)
            throw new ArgumentException(
                $"'{firstName}' has dimension {first.Dimension} but '{secondName}' has dimension {second.Dimension}.", secondName);
    }

    /// <summary>Both matrices have the same number of rows.</summary>
    public static void SameRows(EmbeddingMatrix first, string firstName, EmbeddingMatrix second, string secondName)
    {
        if (first.Rows != second.Rows)
            throw new ArgumentException($"'{firstName}' has {first.Rows} rows but '{secondName}' has {second.Rows}; they must pair up.",
                secondName);
    }

    /// <summary>
    /// One label per row, each in [0, <paramref name="classes"/>); with <paramref name="classes"/> = int.MaxValue only
    /// negative labels are refused.
    /// </summary>
    public static void Labels(ReadOnlySpan<int> labels, int rows, int classes, string name)
    {
        if (labels.Length != rows)
            throw new ArgumentException($"'{name}' holds {labels.Length} labels for {rows} rows.", name);
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException(classes == int.MaxValue
                    ? $"Label {i} of '{name}' is {labels[i]}; labels must be non-negative."
                    : $"Label {i} of '{name}' is {labels[i]}; labels must lie in [0, {classes}).", name);
    }
}
