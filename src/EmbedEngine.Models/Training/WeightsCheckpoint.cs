using EmbedEngine.Kernels;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Models.Training;

/// <summary>
/// A Hogwild trainer's checkpoint through <see cref="TrainingCheckpoint"/>: its weight matrices and vectors (copied
/// into tensors for the file, without the rows' padding) and its run's position, for one trainer and fingerprint.
/// </summary>
/// <param name="settings">Where to write and what to resume from.</param>
/// <param name="trainer">Names the trainer; another trainer's checkpoint is refused.</param>
/// <param name="fingerprint">The options and the data; a checkpoint of other ones is refused.</param>
/// <param name="matrices">The weight matrices by name.</param>
/// <param name="vectors">Weight vectors (biases and their optimizer sums) by name.</param>
internal sealed class WeightsCheckpoint(CheckpointSettings settings, string trainer, string fingerprint,
    IReadOnlyList<KeyValuePair<string, NativeMatrix>> matrices, IReadOnlyList<KeyValuePair<string, float[]>>? vectors = null)
{
    /// <summary>When checkpoints fall due.</summary>
    public CheckpointSettings Settings => settings;

    /// <summary>Writes the weights, <paramref name="extra"/> tensors and <paramref name="position"/> atomically.</summary>
    public void Save(IReadOnlyDictionary<string, string> position, IReadOnlyList<KeyValuePair<string, Tensor>>? extra = null)
    {
        List<KeyValuePair<string, Tensor>> tensors = [];
        try
        {
            foreach (var (name, matrix) in matrices) tensors.Add(new(name, ToTensor(matrix)));
            foreach (var (name, vector) in vectors ?? []) tensors.Add(new(name, Tensor.FromArray(vector, vector.Length)));
            TrainingCheckpoint.Save(settings.Path!, trainer, fingerprint, position, [.. tensors, .. extra ?? []]);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }

    /// <summary>
    /// Restores the weights from <see cref="CheckpointSettings.ResumeFrom"/> and returns the checkpoint for the position
    /// (the caller disposes it); null when the run starts afresh.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such checkpoint.</exception>
    /// <exception cref="InvalidDataException">Another trainer's checkpoint, other options or data, or weights of another shape.</exception>
    public SafetensorsContents? Restore()
    {
        if (settings.ResumeFrom is not { } path) return null;
        SafetensorsContents saved = TrainingCheckpoint.Load(path, trainer, fingerprint);
        try
        {
            foreach (var (name, matrix) in matrices)
            {
                Span<float> values = Saved(saved, path, name, (long)matrix.Rows * matrix.Columns);
                for (int r = 0; r < matrix.Rows; r++) values.Slice(r * matrix.Columns, matrix.Columns).CopyTo(matrix.Row(r));
            }
            foreach (var (name, vector) in vectors ?? []) Saved(saved, path, name, vector.Length).CopyTo(vector);
            return saved;
        }
        catch
        {
            saved.Dispose();
            throw;
        }
    }

    private static Tensor ToTensor(NativeMatrix matrix)
    {
        Tensor tensor = Tensor.Zeros(matrix.Rows, matrix.Columns);
        Span<float> values = tensor.AsSpan();
        for (int r = 0; r < matrix.Rows; r++) matrix.Row(r).CopyTo(values.Slice(r * matrix.Columns, matrix.Columns));
        return tensor;
    }

    private static Span<float> Saved(SafetensorsContents saved, string path, string name, long count)
    {
        Tensor tensor = saved[name];
        if (tensor.Count != count) throw new InvalidDataException($"{path} holds {tensor.Count} values of '{name}'; this run has {count}.");
        return tensor.AsSpan();
    }
}
