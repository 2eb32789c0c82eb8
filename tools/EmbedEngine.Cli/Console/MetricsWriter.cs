using System.Text.Json;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Console;

/// <summary>Writes progress snapshots as JSON lines, one object per line, for plots and experiment logs.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public MetricsWriter(string path) => _writer = new StreamWriter(path, append: false) { AutoFlush = true };

    /// <summary>Appends one snapshot.</summary>
    public void Write(TrainingProgress p)
    {
        var record = new
        {
            words = p.WordsProcessed,
            total_words = p.TotalWords,
            epoch = p.Epoch,
            learning_rate = p.LearningRate,
            loss = double.IsNaN(p.Loss) ? (double?)null : p.Loss,
            words_per_second = p.WordsPerSecond,
            elapsed_seconds = p.Elapsed.TotalSeconds,
        };
        _writer.WriteLine(JsonSerializer.Serialize(record));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
