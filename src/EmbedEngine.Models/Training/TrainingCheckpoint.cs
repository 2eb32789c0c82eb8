using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Models.Training;

/// <summary>
/// A trainer's whole state in one safetensors file — parameters, optimizer state, and in the metadata the position
/// in the data, random states and the options it was started with — written atomically so an interrupted run leaves
/// the previous checkpoint intact. Resuming checks that the file belongs to the same trainer and options.
/// </summary>
public static class TrainingCheckpoint
{
    private const string TrainerKey = "checkpoint.trainer", OptionsKey = "checkpoint.options";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="position"/> for <paramref name="trainer"/> run with <paramref name="options"/>.</summary>
    public static void Save(string path, string trainer, string options, IReadOnlyDictionary<string, string> position,
        IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var metadata = new Dictionary<string, string>(position) { [TrainerKey] = trainer, [OptionsKey] = options };
        SafetensorsFile.Save(path, tensors, metadata);
    }

    /// <summary>Reads a checkpoint of <paramref name="trainer"/>; dispose the contents after restoring from them.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A broken file, another trainer's checkpoint, or one written with other options.</exception>
    public static SafetensorsContents Load(string path, string trainer, string options)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The checkpoint {path} does not exist.", path);
        SafetensorsContents contents;
        try
        {
            contents = SafetensorsFile.Load(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new InvalidDataException($"{e.Message} (expected a training checkpoint of {trainer})", e);
        }
        try
        {
            string? savedTrainer = contents.Metadata.GetValueOrDefault(TrainerKey);
            if (savedTrainer != trainer)
                throw new InvalidDataException(savedTrainer == null
                    ? $"{path} is not a training checkpoint."
                    : $"{path} is a checkpoint of {savedTrainer}, not of {trainer}.");
            string saved = contents.Metadata.GetValueOrDefault(OptionsKey) ?? "";
            if (saved != options)
                throw new InvalidDataException($"{path} was written with other options ({saved}); resume with the same ones ({options}).");
            return contents;
        }
        catch
        {
            contents.Dispose();
            throw;
        }
    }

    /// <summary>A number as the position's metadata holds it.</summary>
    public static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A random generator's state as the metadata holds it: a signed number, which <see cref="GeneratorState"/> reads back.</summary>
    public static string GeneratorText(ulong state) => Invariant(unchecked((long)state));

    /// <summary>A generator state written by <see cref="GeneratorText"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or not a number.</exception>
    public static ulong GeneratorState(SafetensorsContents contents, string key) => unchecked((ulong)Number(contents, key));

    /// <summary>A position value the checkpoint must hold.</summary>
    /// <exception cref="InvalidDataException">It is missing or not a number.</exception>
    public static long Number(SafetensorsContents contents, string key) =>
        contents.Metadata.TryGetValue(key, out string? text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InvalidDataException($"The checkpoint lacks a valid '{key}'.");
}
