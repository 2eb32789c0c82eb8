using System.Text.Json;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// results.json: every figure with its interval and coverage, each model's path and the settings, for tracking over
/// time. No timestamps, so a run with the same seed writes the same bytes. Undefined figures and intervals are null
/// (JSON has no NaN); every task has its object in every scored model, empty where it does not apply.
/// </summary>
internal static class JsonResults
{
    public static void Write(Stream stream, QualityResults results)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        QualitySettings settings = results.Settings;
        json.WriteString("data", settings.DataFolder);
        json.WriteNumber("seed", settings.Seed);
        json.WriteNumber("bootstrap_resamples", settings.Resamples);
        json.WriteNumber("confidence", Evaluation.Bootstrap.DefaultConfidence);
        json.WriteNumber("analogy_restrict", settings.Restrict);
        json.WriteBoolean("common_vocabulary", settings.CommonVocabulary);
        if (results.HeldOutText is (string path, int characters))
        {
            json.WriteString("held_out_text", path);
            json.WriteNumber("held_out_characters", characters);
        }
        json.WriteStartArray("skipped");
        foreach (string note in results.Skipped) json.WriteStringValue(note);
        json.WriteEndArray();
        json.WriteStartArray("models");
        foreach (ModelOutcome model in results.Models)
        {
            json.WriteStartObject();
            json.WriteString("label", model.Label);
            json.WriteString("path", model.Path);
            json.WriteString("status", model.Failure is null ? "ok" : "failed");
            if (model.Kind is not null) json.WriteString("kind", model.Kind);
            if (model.Failure is not null) json.WriteString("failure", model.Failure);
            else
            {
                if (model.Words > 0) json.WriteNumber("words", model.Words);
                if (model.Dimension > 0) json.WriteNumber("dimension", model.Dimension);
                json.WriteStartArray("notes");
                foreach (string note in model.Notes) json.WriteStringValue(note);
                json.WriteEndArray();
                foreach (BenchTask task in BenchTasks.All) WriteFigures(json, task.Key, model.Of(task));
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter json, string name, IReadOnlyList<BenchFigure> figures)
    {
        json.WriteStartObject(name);
        foreach (BenchFigure figure in figures)
        {
            json.WriteStartObject(figure.Name);
            WriteNumber(json, "value", figure.Value);
            WriteNumber(json, "ci_lower", figure.Interval.Lower);
            WriteNumber(json, "ci_upper", figure.Interval.Upper);
            json.WriteNumber("covered", figure.Covered);
            json.WriteNumber("total", figure.Total);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>A number, or null where it is undefined (NaN or infinite: JSON has neither).</summary>
    internal static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
