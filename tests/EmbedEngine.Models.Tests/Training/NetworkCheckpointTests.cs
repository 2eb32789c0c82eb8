using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Tests.Training;

public sealed class NetworkCheckpointTests : IDisposable
{
    private const string Trainer = "test", Fingerprint = "options";
    private readonly string _folder = Directory.CreateTempSubdirectory("network-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>3 → hidden → 2 with a dropout layer between, initialized from <paramref name="seed"/>.</summary>
    private static Sequential Network(int hidden, int seed) =>
        new(new Linear(3, hidden, new Random(seed)), new Dropout(0.5f, seed: 7), new Linear(hidden, 2, new Random(seed + 1)));

    /// <summary>A network mid-run, saved: its optimizer 5 steps in with distinct moments, its dropout counter moved.</summary>
    private string Saved(ulong randomState, int[] order)
    {
        string path = Path.Combine(_folder, "run.ckpt");
        using Sequential network = Network(4, seed: 1);
        using var optimizer = new Adam(network.Parameters(), AdamSettings.AdamW());
        Dictionary<string, Tensor> moments = optimizer.State().ToDictionary(s => s.Key, s => Distinct(s.Value, s.Key.Length));
        optimizer.Restore(5, name => moments[name]);
        foreach (Tensor moment in moments.Values) moment.Dispose();
        ((Dropout)network.Layers[1]).Counter = 123;
        new NetworkCheckpoint(new CheckpointSettings(path), Trainer, Fingerprint, network, optimizer).Save(randomState, order);
        return path;
    }

    /// <summary>A tensor shaped like <paramref name="like"/> holding 0.01 × (offset, offset + 1, …), to tell each state tensor apart.</summary>
    private static Tensor Distinct(Tensor like, int offset)
    {
        Tensor values = like.Clone();
        values.CopyFrom([.. Enumerable.Range(offset, like.Count).Select(i => i * 0.01f)]);
        return values;
    }

    [Fact]
    public void A_restored_network_holds_the_saved_parameters_moments_steps_dropout_counter_generator_and_order()
    {
        // A state above 2^63 must survive the metadata's signed numbers.
        const ulong state = 0xF000_0000_1234_5678UL;
        string path = Saved(state, [2, 0, 1]);
        using Sequential original = Network(4, seed: 1);
        using Sequential network = Network(4, seed: 9);
        using var optimizer = new Adam(network.Parameters(), AdamSettings.AdamW());

        using SafetensorsContents saved = new NetworkCheckpoint(new CheckpointSettings(null, ResumeFrom: path), Trainer, Fingerprint, network, optimizer).Restore()!;

        for (int p = 0; p < network.Parameters().Count; p++) Assert.Equal(original.Parameters()[p].ToArray(), network.Parameters()[p].ToArray());
        Assert.Equal(5, optimizer.Steps);
        foreach (var (name, moment) in optimizer.State())
        {
            using Tensor expected = Distinct(moment, name.Length);
            Assert.Equal(expected.ToArray(), moment.ToArray());
        }
        Assert.Equal(123u, ((Dropout)network.Layers[1]).Counter);
        Assert.Equal(state, NetworkCheckpoint.RandomState(saved));
        Assert.Equal([2, 0, 1], NetworkCheckpoint.Order(saved, 3));
    }

    [Fact]
    public void A_checkpoint_of_another_network_or_a_broken_order_is_invalid_data()
    {
        string path = Saved(1, [0, 0, 1]);
        var resume = new CheckpointSettings(null, ResumeFrom: path);
        using (Sequential wider = Network(5, seed: 1))
        using (var optimizer = new Adam(wider.Parameters(), AdamSettings.AdamW()))
        {
            var e = Assert.Throws<InvalidDataException>(() => new NetworkCheckpoint(resume, Trainer, Fingerprint, wider, optimizer).Restore());
            Assert.Contains("holds 12 values of 'param.0.weight'; this network has 15", e.Message, StringComparison.Ordinal);
        }
        using (var noDropout = new Sequential(new Linear(3, 4, new Random(1)), new Linear(4, 2, new Random(2))))
        using (var optimizer = new Adam(noDropout.Parameters(), AdamSettings.AdamW()))
        {
            var e = Assert.Throws<InvalidDataException>(() => new NetworkCheckpoint(resume, Trainer, Fingerprint, noDropout, optimizer).Restore());
            Assert.Contains("lacks 'param.1.weight'", e.Message, StringComparison.Ordinal);
        }
        using Sequential network = Network(4, seed: 1);
        using var adam = new Adam(network.Parameters(), AdamSettings.AdamW());
        using SafetensorsContents saved = new NetworkCheckpoint(resume, Trainer, Fingerprint, network, adam).Restore()!;
        Assert.Contains("not a permutation of 3", Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Order(saved, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("holds 3 values of 'order'; this network has 4", Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Order(saved, 4)).Message, StringComparison.Ordinal);
    }
}
