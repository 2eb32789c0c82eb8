using EmbedEngine.Tests.Shared;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Cli.Tests;

public partial class MlpTests
{
    private const int Side = 10;

    /// <summary>Noisy images of a bright bar at the top, middle or bottom; the class is the bar's position.</summary>
    private static (byte[] Images, byte[] Labels) Bars(int count, int seed)
    {
        var random = new Random(seed);
        var images = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(3);
            labels[i] = (byte)label;
            for (int p = 0; p < Side * Side; p++)
            {
                int row = p / Side;
                bool bar = row >= label * 3 + 1 && row < label * 3 + 3;
                images[i * Side * Side + p] = (byte)(bar ? 180 + random.Next(76) : random.Next(90));
            }
        }
        return (images, labels);
    }



    private static void WriteSet(TempFolder folder, string prefix, int count, int seed, bool gzip)
    {
        (byte[] images, byte[] labels) = Bars(count, seed);
        byte[] imageFile = IdxBytes.Of(images, count, Side, Side), labelFile = IdxBytes.Of(labels, count);
        string suffix = gzip ? ".gz" : "";
        folder.Write($"{prefix}-images-idx3-ubyte{suffix}", gzip ? IdxBytes.Gzip(imageFile) : imageFile);
        folder.Write($"{prefix}-labels-idx1-ubyte{suffix}", gzip ? IdxBytes.Gzip(labelFile) : labelFile);
    }

    [GeneratedRegex(@"test accuracy ([0-9.]+)%")]
    private static partial Regex AccuracyLine();

    [Fact]
    public void Train_mlp_learns_a_separable_image_set_and_saves_safetensors()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 600, 1, gzip: true);
        WriteSet(folder, "t10k", 150, 2, gzip: false);
        string model = folder.File("mlp.safetensors");
        CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "32", "--epochs", "4", "--batch", "32", "--threads", "1", "-o", model);
        Assert.True(run.ExitCode == 0, run.Error);
        double accuracy = double.Parse(AccuracyLine().Match(run.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 95, run.Output);
        using SafetensorsContents saved = SafetensorsFile.Load(model);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias"], saved.Tensors.Select(t => t.Key));
        Assert.Equal(new EmbedEngine.Tensors.Shape(32, Side * Side), saved["0.weight"].Shape);
        Assert.Equal("32", saved.Metadata["hidden"]);
    }

    /// <summary>The same run on the emulated GPU and on the CPU writes the same parameters, up to the GPU's order of summing.</summary>
    [Fact]
    public void Train_mlp_on_the_emulated_gpu_writes_the_parameters_of_the_cpu_run()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 120, 1, gzip: false);
        WriteSet(folder, "t10k", 30, 2, gzip: false);
        float[] Train(string device)
        {
            string model = folder.File($"mlp-{device}.safetensors");
            CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "16", "--epochs", "2", "--batch", "40", "--device", device, "-o", model);
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains($"device {device}", run.Error, StringComparison.Ordinal);
            using SafetensorsContents saved = SafetensorsFile.Load(model);
            return saved.Tensors.SelectMany(t => t.Value.ToArray()).ToArray();
        }
        float[] cpu = Train("cpu"), gpu = Train("emulated");
        Assert.Equal(cpu.Length, gpu.Length);
        for (int i = 0; i < cpu.Length; i++)
            Assert.True(Math.Abs(cpu[i] - gpu[i]) <= 1e-4f * Math.Max(1f, Math.Abs(cpu[i])), $"Parameter {i}: {cpu[i]} on the CPU, {gpu[i]} on the GPU.");
    }

    [Fact]
    public void Train_mlp_on_a_missing_gpu_names_what_was_found_and_exits_2()
    {
        if (EmbedEngine.Kernels.Gpu.GpuDevice.CudaDevices().Count > 0) return;
        using var folder = new TempFolder();
        WriteSet(folder, "train", 20, 1, gzip: false);
        WriteSet(folder, "t10k", 10, 2, gzip: false);
        CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "4", "--epochs", "1", "--device", "cuda");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("asks for a CUDA GPU, but ILGPU found none", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The products split by stripes and the element-wise kernels by blocks, never changing a sum: 1 and 2 threads write the same file.</summary>
    [Fact]
    public void Train_mlp_writes_the_same_parameters_on_one_and_two_threads()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 600, 3, gzip: false);
        WriteSet(folder, "t10k", 60, 4, gzip: false);
        byte[] Train(string threads)
        {
            string model = folder.File($"mlp{threads}.safetensors");
            CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "512,256", "--epochs", "1", "--batch", "128",
                "--threads", threads, "--seed", "5", "-o", model);
            Assert.True(run.ExitCode == 0, run.Error);
            return File.ReadAllBytes(model);
        }
        Assert.Equal(Train("1"), Train("2"));
    }

    [Fact]
    public void A_file_that_is_not_idx_or_declares_more_than_it_holds_is_bad_input()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "t10k", 10, 2, gzip: false);
        folder.Write("train-images-idx3-ubyte", "not an idx file at all"u8.ToArray());
        folder.Write("train-labels-idx1-ubyte", IdxBytes.Of(new byte[10], 10));
        CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a valid idx file: the magic number", run.Error, StringComparison.Ordinal);

        byte[] forged = IdxBytes.Of(new byte[100], 1_000_000, Side, Side);
        folder.Write("train-images-idx3-ubyte", forged);
        run = CliRun.Of("train", "mlp", "--data", folder.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("declares 100000000 elements but only 100 follow", run.Error, StringComparison.Ordinal);

        folder.Write("train-images-idx3-ubyte", IdxBytes.Of(new byte[100], 65536, 65536, 65536));
        run = CliRun.Of("train", "mlp", "--data", folder.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("declares more than", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_data_file_is_named()
    {
        using var folder = new TempFolder();
        CliRun run = CliRun.Of("train", "mlp", "--data", folder.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no train-images-idx3-ubyte", run.Error, StringComparison.Ordinal);
    }
}
