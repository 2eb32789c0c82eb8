using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Training;

/// <summary>
/// The checkpoints of a trainer that steps an optimizer over a network (the MLP, the language models, CLIP, SimCSE)
/// through <see cref="TrainingCheckpoint"/>: the network's parameters and dropout counters, the optimizer's moments and
/// step count, the state of the trainer's generator (batches, masking, augmentation), its shuffled order if it keeps
/// one, and any position it adds. One falls due by optimizer steps or by time.
/// </summary>
/// <param name="settings">Where to write, how often, and what to resume from.</param>
/// <param name="trainer">Names the trainer; another trainer's checkpoint is refused.</param>
/// <param name="fingerprint">The options, starting weights and data; a checkpoint of other ones is refused.</param>
/// <param name="network">What the optimizer trains (with its dropout layers).</param>
/// <param name="optimizer">The optimizer, already on the network's device.</param>
internal sealed class NetworkCheckpoint(CheckpointSettings settings, string trainer, string fingerprint, Module network, Optimizer optimizer)
{
    private const string ParameterPrefix = "param.", StepsKey = "steps", DropoutKey = "dropout", OrderKey = "order", RandomKey = "rng";
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();

    /// <summary>Whether a checkpoint is due after the optimizer's latest step.</summary>
    public bool Due => settings.Due(optimizer.Steps, _sinceLast.Elapsed);

    /// <summary>
    /// Writes the network, the optimizer, the trainer's <paramref name="randomState"/>, its <paramref name="order"/>
    /// when it walks its examples in a shuffled order (a permutation: saved as floats, exact below 2^24 examples), and
    /// any further <paramref name="position"/>.
    /// </summary>
    public void Save(ulong randomState, int[]? order = null, IReadOnlyDictionary<string, string>? position = null)
    {
        var metadata = new Dictionary<string, string>(position ?? new Dictionary<string, string>())
        {
            [RandomKey] = TrainingCheckpoint.GeneratorText(randomState),
            [StepsKey] = TrainingCheckpoint.Invariant(optimizer.Steps),
            [DropoutKey] = string.Join(',', Dropouts().Select(d => TrainingCheckpoint.Invariant(d.Counter))),
        };
        using Tensor? orderTensor = order == null ? null : Tensor.FromArray([.. order.Select(i => (float)i)], order.Length);
        List<KeyValuePair<string, Tensor>> tensors = [
            .. network.NamedParameters().Select(p => new KeyValuePair<string, Tensor>(ParameterPrefix + p.Key, p.Value)),
            .. optimizer.State()];
        if (orderTensor != null) tensors.Add(new(OrderKey, orderTensor));
        TrainingCheckpoint.Save(settings.Path!, trainer, fingerprint, metadata, tensors);
        _sinceLast.Restart();
    }

    /// <summary>
    /// Restores the network and the optimizer from <see cref="CheckpointSettings.ResumeFrom"/> and returns the checkpoint
    /// for the trainer's position (the caller disposes it); null when the run starts afresh.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such checkpoint.</exception>
    /// <exception cref="InvalidDataException">
    /// A broken file, another trainer's checkpoint, one of other options or data, or one of another network.
    /// </exception>
    public SafetensorsContents? Restore()
    {
        if (settings.ResumeFrom is not { } path) return null;
        SafetensorsContents saved = TrainingCheckpoint.Load(path, trainer, fingerprint);
        try
        {
            foreach (var (name, parameter) in network.NamedParameters())
                parameter.CopyFrom(Saved(saved, path, ParameterPrefix + name, parameter.Count).AsSpan());
            optimizer.Restore(checked((int)TrainingCheckpoint.Number(saved, StepsKey)), name => Saved(saved, path, name, null));
            RestoreDropouts(path, saved.Metadata.GetValueOrDefault(DropoutKey) ?? "");
            return saved;
        }
        catch
        {
            saved.Dispose();
            throw;
        }
    }

    /// <summary>The trainer's generator state <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">It is missing or not a number.</exception>
    public static ulong RandomState(SafetensorsContents saved) => TrainingCheckpoint.GeneratorState(saved, RandomKey);

    /// <summary>The shuffled order <see cref="Save"/> wrote with the position: a permutation of <paramref name="count"/> examples.</summary>
    /// <exception cref="InvalidDataException">It is missing or not such a permutation.</exception>
    public static int[] Order(SafetensorsContents saved, int count)
    {
        int[] order = [.. Saved(saved, "The checkpoint", OrderKey, count).ToArray().Select(i => (int)i)];
        var seen = new bool[count];
        foreach (int i in order)
        {
            if (i < 0 || i >= count || seen[i]) throw new InvalidDataException($"The checkpoint's order is not a permutation of {count} examples.");
            seen[i] = true;
        }
        return order;
    }

    /// <summary>The CRC-32C of every parameter of <paramref name="network"/>, naming a run's starting weights in its fingerprint.</summary>
    public static string WeightsIdentity(Module network)
    {
        uint crc = 0;
        foreach (Tensor parameter in network.Parameters()) crc = Crc32C.Append(crc, MemoryMarshal.AsBytes(parameter.ToArray().AsSpan()));
        return $"starting weights crc32c {crc:x8}";
    }

    private IEnumerable<Dropout> Dropouts() => network.Modules().OfType<Dropout>();

    private void RestoreDropouts(string path, string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Dropout[] dropouts = [.. Dropouts()];
        if (parts.Length != dropouts.Length)
            throw new InvalidDataException($"{path} holds {parts.Length} dropout counters; the network has {dropouts.Length} dropout layers.");
        for (int i = 0; i < dropouts.Length; i++)
            dropouts[i].Counter = uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out uint counter)
                ? counter
                : throw new InvalidDataException($"{path} holds a dropout counter '{parts[i]}' that is not a number.");
    }

    private static Tensor Saved(SafetensorsContents saved, string path, string name, long? count)
    {
        Tensor tensor = saved.Tensors.FirstOrDefault(t => t.Key == name).Value
            ?? throw new InvalidDataException($"{path} lacks '{name}': it is not a checkpoint of this network.");
        if (count is { } expected && tensor.Count != expected)
            throw new InvalidDataException($"{path} holds {tensor.Count} values of '{name}'; this network has {expected}.");
        return tensor;
    }
}
