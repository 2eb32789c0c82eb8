using System.Text.Json;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Console;

/// <summary>Writes progress snapshots as JSON lines, one object per line, for plots and experiment logs.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    /// <summary>Creates (or truncates) <paramref name="path"/>.</summary>
    public MetricsWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _json = new Utf8JsonWriter(_file);
    }

    /// <summary>Appends one snapshot and flushes it, so a log of an interrupted run is still readable.</summary>
    public void Write(TrainingProgress p)
    {
        // Written field by field (no reflection), so the CLI also works when compiled ahead of time.
        _json.WriteStartObject();
        _json.WriteNumber("words", p.WordsProcessed);
        _json.WriteNumber("total_words", p.TotalWords);
        _json.WriteNumber("epoch", p.Epoch);
        if (float.IsNaN(p.LearningRate)) _json.WriteNull("learning_rate");
        else _json.WriteNumber("learning_rate", p.LearningRate);
        if (double.IsNaN(p.Loss)) _json.WriteNull("loss");
        else _json.WriteNumber("loss", p.Loss);
        if (!double.IsNaN(p.ValidationLoss)) _json.WriteNumber("validation_loss", p.ValidationLoss);
        if (!double.IsNaN(p.LogitScale)) _json.WriteNumber("logit_scale", p.LogitScale);
        _json.WriteNumber("words_per_second", p.WordsPerSecond);
        _json.WriteNumber("elapsed_seconds", p.Elapsed.TotalSeconds);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _file.WriteByte((byte)'\n');
        _file.Flush();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
