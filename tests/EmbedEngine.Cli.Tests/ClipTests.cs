using EmbedEngine.Tests.Shared;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Cli.Tests;

/// <summary>An MNIST-style folder of 8×8 synthetic digits and a tiny CLIP model trained on it once for the whole class.</summary>
public sealed class ClipFolder : IDisposable
{
    public const int Side = 8, TrainPerClass = 4, TestPerClass = 2;

    public ClipFolder()
    {
        Data = new TempFolder();
        Work = new TempFolder();
        WriteSplit("train", TrainPerClass, seed: 1, gzip: true);
        WriteSplit("t10k", TestPerClass, seed: 2, gzip: false);
        Model = Work.File("clip");
        Training = CliRun.Of(["train", "clip", "--data", Data.Path, "-o", Model, .. TinyShape]);
    }

    /// <summary>The smallest shape and schedule: 8×8 images in 4×4 patches, widths 8, one block of two heads, one epoch of batches of 8.</summary>
    public static readonly string[] TinyShape =
    [
        "--patch", "4", "--image-dim", "8", "--text-dim", "8", "--heads", "2", "--embed-dim", "8", "--image-layers", "1",
        "--text-layers", "1", "--epochs", "1", "--batch", "8", "--warmup", "1", "--threads", "1",
    ];

    /// <summary><see cref="TinyShape"/> with the values of some options replaced (option-value pairs).</summary>
    public static string[] TinyShapeWith(params string[] changes)
    {
        string[] shape = [.. TinyShape];
        for (int i = 0; i < changes.Length; i += 2) shape[Array.IndexOf(shape, changes[i]) + 1] = changes[i + 1];
        return shape;
    }

    internal TempFolder Data { get; }

    internal TempFolder Work { get; }

    public string Model { get; }

    internal CliRun Training { get; }

    /// <summary>Label i % 10 for image i; class c inks a fixed pseudo-random third of the pixels, with noise from the seed.</summary>
    public static (byte[] Pixels, byte[] Labels) Digits(int perClass, int seed)
    {
        var random = new Random(seed);
        int count = 10 * perClass;
        var pixels = new byte[count * Side * Side];
        byte[] labels = [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < Side * Side; p++)
            {
                bool ink = (uint)((labels[i] + 1) * 73856093 ^ p * 19349663) % 3 == 0;
                pixels[i * Side * Side + p] = (byte)(ink ? 160 + random.Next(96) : random.Next(41));
            }
        return (pixels, labels);
    }



    /// <summary>Writes one split into <paramref name="folder"/> (default: the shared data folder).</summary>
    internal void WriteSplit(string prefix, int perClass, int seed, bool gzip, TempFolder? folder = null)
    {
        folder ??= Data;
        (byte[] pixels, byte[] labels) = Digits(perClass, seed);
        byte[] images = IdxBytes.Of(pixels, labels.Length, Side, Side), labelFile = IdxBytes.Of(labels, labels.Length);
        string suffix = gzip ? ".gz" : "";
        folder.Write($"{prefix}-images-idx3-ubyte{suffix}", gzip ? IdxBytes.Gzip(images) : images);
        folder.Write($"{prefix}-labels-idx1-ubyte{suffix}", gzip ? IdxBytes.Gzip(labelFile) : labelFile);
    }

    public void Dispose()
    {
        Data.Dispose();
        Work.Dispose();
    }
}

/// <summary><c>embed train clip</c>, <c>embed eval clip</c>, <c>embed zero-shot</c> and <c>embed retrieve</c> on a tiny model.</summary>
public sealed partial class ClipTests(ClipFolder clip) : IClassFixture<ClipFolder>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"^zero-shot top-1: ([0-9.]+)% \((\d+)/(\d+)\)$", RegexOptions.Multiline)]
    private static partial Regex ZeroShotLine();

    [GeneratedRegex(@"^image ( *\d+)  cosine (-?[0-9.]+)  digit (\d)  ""([^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex ImageHit();

    [GeneratedRegex(@"^caption ( *\d+)  cosine (-?[0-9.]+)  ""([^""]*)""$", RegexOptions.Multiline)]
    private static partial Regex CaptionHit();

    private static void AssertSucceeded(CliRun run) => Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");

    /// <summary>What the evaluations print: the zero-shot report to the end of the output.</summary>
    private static string Evaluations(string output) => output[output.IndexOf("zero-shot top-1:", StringComparison.Ordinal)..];

    [Fact]
    public void Train_clip_writes_a_checkpoint_and_prints_the_three_evaluations()
    {
        CliRun run = clip.Training;
        AssertSucceeded(run);
        Assert.Contains("trained 40 images", run.Output, StringComparison.Ordinal);
        Assert.Contains($"wrote the model to {clip.Model}", run.Output, StringComparison.Ordinal);
        Match zeroShot = ZeroShotLine().Match(run.Output);
        Assert.True(zeroShot.Success, run.Output);
        Assert.Equal("20", zeroShot.Groups[3].Value);
        Assert.Contains("mean per-class accuracy:", run.Output, StringComparison.Ordinal);
        Assert.Contains("  9 nine: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("retrieval over 20 image-text pairs", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^image->text  R@1 [0-9.]+%  R@5 [0-9.]+%  R@10 [0-9.]+%  median rank", run.Output);
        Assert.Matches(@"(?m)^text->image  R@1 [0-9.]+%  R@5 [0-9.]+%  R@10 [0-9.]+%  median rank", run.Output);
        Assert.Matches(@"(?m)^linear probe: train [0-9.]+%, test [0-9.]+% \(10 classes, 8 features", run.Output);
        Assert.Contains("CLIP, image 8x8 in 4x4 patches", run.Error, StringComparison.Ordinal);

        JsonObject json = JsonNode.Parse(File.ReadAllText(Path.Combine(clip.Model, "model.json")))!.AsObject();
        Assert.Equal("embedengine-clip", (string?)json["format"]);
        Assert.Equal(8, (int)json["image_size"]!);
        Assert.Equal(4, (int)json["patch"]!);
        Assert.Equal(8, (int)json["image_dimension"]!);
        Assert.Equal(2, (int)json["heads"]!);
        Assert.Contains("zero", json["words"]!.AsArray().Select(w => (string)w!));
        Assert.True(new FileInfo(Path.Combine(clip.Model, "model.safetensors")).Length > 0);
    }

    [Fact]
    public void Train_clip_on_the_emulated_gpu_saves_the_model_the_cpu_run_saves()
    {
        // Two steps of 20 pairs: the emulated device runs every kernel on the host, slowly.
        string[] shape = ClipFolder.TinyShapeWith("--batch", "20");
        string onCpu = _folder.File("cpu-clip"), model = _folder.File("device-clip");
        AssertSucceeded(CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", onCpu, .. shape]));
        CliRun run = CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", model, "--device", "emulated", .. shape]);
        AssertSucceeded(run);
        Assert.Contains("device emulated", run.Error, StringComparison.Ordinal);
        // The device-trained model, read on the CPU, gives every test caption the cosine the CPU-trained one gives it.
        Dictionary<int, double> cpu = CaptionCosines(onCpu), device = CaptionCosines(model);
        Assert.Equal(20, device.Count);
        foreach ((int caption, double cosine) in cpu)
            Assert.True(Math.Abs(cosine - device[caption]) <= 2e-3, $"caption {caption}: cosine {cosine} from the CPU run, {device[caption]} from the GPU run");
        CliRun eval = CliRun.Of("eval", "clip", "-m", model, "--data", clip.Data.Path);
        AssertSucceeded(eval);
        Assert.Equal(Evaluations(run.Output), eval.Output);
    }

    /// <summary>Each test caption's cosine to test image 19, as <c>embed retrieve</c> lists them.</summary>
    private Dictionary<int, double> CaptionCosines(string model)
    {
        CliRun run = CliRun.Of("retrieve", "-m", model, "--data", clip.Data.Path, "--image", "19", "-k", "20");
        AssertSucceeded(run);
        return CaptionHit().Matches(run.Output).ToDictionary(h => int.Parse(h.Groups[1].Value.Trim(), System.Globalization.CultureInfo.InvariantCulture),
            h => double.Parse(h.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Eval_clip_reloads_the_model_and_prints_what_training_printed()
    {
        AssertSucceeded(clip.Training);
        CliRun run = CliRun.Of("eval", "clip", "-m", clip.Model, "--data", clip.Data.Path);
        AssertSucceeded(run);
        Assert.Equal(Evaluations(clip.Training.Output), run.Output);
    }

    [Fact]
    public void Zero_shot_prints_the_accuracy_and_every_class()
    {
        AssertSucceeded(clip.Training);
        CliRun run = CliRun.Of("zero-shot", "-m", clip.Model, "--data", clip.Data.Path);
        AssertSucceeded(run);
        Assert.Equal(ZeroShotLine().Match(clip.Training.Output).Value, ZeroShotLine().Match(run.Output).Value);
        for (int c = 0; c < 10; c++) Assert.Matches($@"(?m)^  {c} \w+: [0-9.]+% \(\d/2\)$", run.Output);

        string prompts = _folder.Write("prompts.txt", "# one template\n\na photo of a {digit}\n");
        CliRun custom = CliRun.Of("zero-shot", "-m", clip.Model, "--data", clip.Data.Path, "--prompts", prompts);
        AssertSucceeded(custom);
        Assert.Matches(ZeroShotLine(), custom.Output);

        string noSlot = _folder.Write("no-slot.txt", "a photo of a number\n");
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", clip.Model, "--data", clip.Data.Path, "--prompts", noSlot), "has no {digit} to fill");
        string empty = _folder.Write("empty.txt", "# nothing\n\n");
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", clip.Model, "--data", clip.Data.Path, "--prompts", empty), "holds no prompt templates");
    }

    [Fact]
    public void Retrieve_by_text_lists_k_test_images_best_first()
    {
        AssertSucceeded(clip.Training);
        CliRun run = CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--text", "a zero", "-k", "3");
        AssertSucceeded(run);
        MatchCollection hits = ImageHit().Matches(run.Output);
        Assert.Equal(3, hits.Count);
        Assert.Equal(3, run.Output.TrimEnd().Split('\n').Length);
        double[] cosines = [.. hits.Select(h => double.Parse(h.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(cosines[0] >= cosines[1] && cosines[1] >= cosines[2], run.Output);
        Assert.Equal(3, hits.Select(h => h.Groups[1].Value).Distinct().Count());
        foreach (Match hit in hits)
        {
            int index = int.Parse(hit.Groups[1].Value.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(index, 0, 19);
            Assert.Equal((index % 10).ToString(System.Globalization.CultureInfo.InvariantCulture), hit.Groups[3].Value);
        }
    }

    [Fact]
    public void Retrieve_by_image_lists_k_test_captions_best_first()
    {
        AssertSucceeded(clip.Training);
        CliRun run = CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--image", "0", "-k", "3");
        AssertSucceeded(run);
        Assert.StartsWith("image 0: digit 0, \"", run.Output, StringComparison.Ordinal);
        MatchCollection hits = CaptionHit().Matches(run.Output);
        Assert.Equal(3, hits.Count);
        double[] cosines = [.. hits.Select(h => double.Parse(h.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(cosines[0] >= cosines[1] && cosines[1] >= cosines[2], run.Output);
        Assert.All(cosines, c => Assert.InRange(c, -1.0001, 1.0001));

        CliRun all = CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--image", "19", "-k", "50");
        AssertSucceeded(all);
        Assert.Equal(20, CaptionHit().Count(all.Output));
    }

    [Fact]
    public void Retrieve_needs_exactly_one_of_text_and_image_and_an_image_in_range()
    {
        AssertSucceeded(clip.Training);
        BadInputTests.AssertBadInput(CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path), "exactly one of --text and --image");
        BadInputTests.AssertBadInput(CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--text", "a zero", "--image", "0"),
            "exactly one of --text and --image");
        BadInputTests.AssertBadInput(CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--image", "20"), "outside the 20 test images");
        BadInputTests.AssertBadInput(CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--text", "a zero", "-k", "0"), "-k must be at least 1");
    }

    [Fact]
    public void A_missing_idx_file_is_named()
    {
        clip.WriteSplit("train", ClipFolder.TrainPerClass, 1, gzip: false, _folder);
        CliRun run = CliRun.Of(["train", "clip", "--data", _folder.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShape]);
        BadInputTests.AssertBadInput(run, "has no t10k-images-idx3-ubyte");
        Assert.False(Directory.Exists(_folder.File("model")));
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", clip.Model, "--data", _folder.Path), "has no t10k-images-idx3-ubyte");
    }

    [Fact]
    public void A_truncated_idx_file_is_named()
    {
        clip.WriteSplit("train", ClipFolder.TrainPerClass, 1, gzip: false, _folder);
        clip.WriteSplit("t10k", ClipFolder.TestPerClass, 2, gzip: false, _folder);
        string images = _folder.File("train-images-idx3-ubyte");
        byte[] whole = File.ReadAllBytes(images);
        File.WriteAllBytes(images, whole[..^100]);
        CliRun run = CliRun.Of(["train", "clip", "--data", _folder.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShape]);
        BadInputTests.AssertBadInput(run, "train-images-idx3-ubyte is not a valid idx file: the header declares 2560 elements but only 2460 follow");
        Assert.False(Directory.Exists(_folder.File("model")));
    }

    [Fact]
    public void A_caption_file_with_the_wrong_number_of_lines_is_named()
    {
        AssertSucceeded(clip.Training);
        string captions = _folder.Write("test-captions.txt", string.Join('\n', Enumerable.Range(0, 19).Select(i => $"a {i % 10} digit")) + "\n");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "clip", "-m", clip.Model, "--data", clip.Data.Path, "--test-captions", captions),
            "test-captions.txt has 19 captions but the split has 20 images");
        CliRun run = CliRun.Of(["train", "clip", "--data", clip.Data.Path, "--test-captions", captions, "-o", _folder.File("model"), .. ClipFolder.TinyShape]);
        BadInputTests.AssertBadInput(run, "test-captions.txt has 19 captions");
        Assert.False(Directory.Exists(_folder.File("model")));

        string right = _folder.Write("right.txt", string.Join('\n', Enumerable.Range(0, 20).Select(i => $"caption number {i}")));
        CliRun retrieved = CliRun.Of("retrieve", "-m", clip.Model, "--data", clip.Data.Path, "--test-captions", right, "--image", "4", "-k", "2");
        AssertSucceeded(retrieved);
        Assert.StartsWith("image 4: digit 4, \"caption number 4\"", retrieved.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_model_folder_is_refused_naming_its_format()
    {
        var tokenizer = CharacterTokenizer.FromText("the quick brown fox");
        var config = new ContextualConfig
        {
            Kind = ContextualModelKind.Gpt, VocabularySize = tokenizer.VocabularySize, Layers = 1, Heads = 2, Dimension = 8, Context = 8,
            Tokenizer = TokenizerDescription.Of(tokenizer),
        };
        string folder = _folder.File("gpt");
        using (var language = new TransformerLanguageModel(config, tokenizer, seed: 1)) ContextualCheckpoint.Save(language, folder);
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", folder, "--data", clip.Data.Path), "\"embedengine-contextual\" model, not a CLIP model");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "clip", "-m", folder, "--data", clip.Data.Path), "embedengine-contextual");
        BadInputTests.AssertBadInput(CliRun.Of("retrieve", "-m", folder, "--data", clip.Data.Path, "--image", "0"), "embedengine-contextual");
    }

    [Fact]
    public void A_clip_configuration_whose_sizes_disagree_with_its_tensors_is_refused()
    {
        AssertSucceeded(clip.Training);
        string copy = _folder.File("edited");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(clip.Model)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string json = Path.Combine(copy, "model.json");
        JsonObject config = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        config["image_dimension"] = 16;
        File.WriteAllText(json, config.ToJsonString());
        BadInputTests.AssertBadInput(CliRun.Of("eval", "clip", "-m", copy, "--data", clip.Data.Path), "visual.");
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", copy, "--data", clip.Data.Path), "model.json");
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", _folder.File("absent"), "--data", clip.Data.Path), "absent");
    }

    [Fact]
    public void Images_of_another_size_than_the_model_are_refused()
    {
        AssertSucceeded(clip.Training);
        (byte[] pixels, byte[] labels) = ClipFolder.Digits(ClipFolder.TrainPerClass, 1);
        _folder.Write("train-images-idx3-ubyte", IdxBytes.Of([.. pixels, .. new byte[labels.Length * 36]], labels.Length, 10, 10));
        _folder.Write("train-labels-idx1-ubyte", IdxBytes.Of(labels, labels.Length));
        (pixels, labels) = ClipFolder.Digits(ClipFolder.TestPerClass, 2);
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.Of([.. pixels, .. new byte[labels.Length * 36]], labels.Length, 10, 10));
        _folder.Write("t10k-labels-idx1-ubyte", IdxBytes.Of(labels, labels.Length));
        BadInputTests.AssertBadInput(CliRun.Of("zero-shot", "-m", clip.Model, "--data", _folder.Path), "10x10");
        // Training takes the size from the images; a patch that does not divide it is named.
        BadInputTests.AssertBadInput(CliRun.Of(["train", "clip", "--data", _folder.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShape]),
            "The patch side 4 does not divide the image side 10");
    }

    [Fact]
    public void Bad_training_options_are_refused()
    {
        BadInputTests.AssertBadInput(CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShapeWith("--batch", "41")]),
            "exceeds the 40 training images");
        BadInputTests.AssertBadInput(CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShapeWith("--heads", "3")]),
            "3 heads must divide");
        BadInputTests.AssertBadInput(CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", _folder.File("model"), .. ClipFolder.TinyShape, "--unknown-words", "1"]),
            "unknown-word rate");
        Assert.False(Directory.Exists(_folder.File("model")));
    }
}
