using System.CommandLine;
using System.Globalization;
using EmbedEngine.Evaluation.Multimodal;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// The commands that use a trained CLIP-like model: <c>embed eval clip</c> (zero-shot, retrieval and linear probe),
/// <c>embed zero-shot</c> and <c>embed retrieve</c>.
/// </summary>
internal static class ClipEvalCommand
{
    /// <summary><c>embed eval clip</c>.</summary>
    public static Command CreateEval(TextWriter output)
    {
        var (model, data, trainCaptions, testCaptions, prompts) = CommonOptions();
        var command = new Command("clip", "Zero-shot accuracy, image<->text Recall@1/5/10 and a linear probe of a CLIP-like model.")
        {
            model, data, trainCaptions, testCaptions, prompts,
        };
        command.SetAction(parsed =>
        {
            using ClipModel clip = ClipCheckpoint.Load(parsed.GetValue(model)!.FullName);
            (CaptionedDigits training, CaptionedDigits test) = ClipDataOptions.Load(parsed, data, trainCaptions, testCaptions);
            Report(clip, training, test, parsed.GetValue(prompts)?.FullName, output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>embed zero-shot</c>.</summary>
    public static Command CreateZeroShot(TextWriter output)
    {
        var (model, data, trainCaptions, testCaptions, prompts) = CommonOptions();
        var command = new Command("zero-shot", "Classify the test digits by the cosine of their embeddings with class prompts.")
        {
            model, data, trainCaptions, testCaptions, prompts,
        };
        command.SetAction(parsed =>
        {
            using ClipModel clip = ClipCheckpoint.Load(parsed.GetValue(model)!.FullName);
            (_, CaptionedDigits test) = ClipDataOptions.Load(parsed, data, trainCaptions, testCaptions);
            ZeroShotReport report = ImageTextEvaluation.ZeroShot(clip, test, Prompts(parsed.GetValue(prompts)?.FullName));
            output.Write(report.Describe(DigitCaptioner.Digits));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>embed retrieve</c>.</summary>
    public static Command CreateRetrieve(TextWriter output)
    {
        var (model, data, trainCaptions, testCaptions, _) = CommonOptions();
        var text = new Option<string?>("--text") { Description = "Find the test images closest to this caption." };
        var image = new Option<int?>("--image") { Description = "Find the test captions closest to test image N (0-based)." };
        var k = new Option<int>("-k") { Description = "How many results.", DefaultValueFactory = _ => 5 };
        var command = new Command("retrieve", "Text->image or image->text search over the test split.") { model, data, trainCaptions, testCaptions, text, image, k };
        command.SetAction(parsed =>
        {
            string? query = parsed.GetValue(text);
            int? imageIndex = parsed.GetValue(image);
            int count = parsed.GetValue(k);
            if ((query == null) == (imageIndex == null)) throw new ArgumentException("Give exactly one of --text and --image.");
            if (count < 1) throw new ArgumentException($"-k must be at least 1; got {count}.");
            using ClipModel clip = ClipCheckpoint.Load(parsed.GetValue(model)!.FullName);
            (_, CaptionedDigits test) = ClipDataOptions.Load(parsed, data, trainCaptions, testCaptions);
            if (query != null) SearchImages(clip, test, query, count, output);
            else SearchCaptions(clip, test, imageIndex!.Value, count, output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints the three evaluations of <paramref name="model"/> on <paramref name="test"/>.</summary>
    public static void Report(ClipModel model, CaptionedDigits training, CaptionedDigits test, string? promptsPath, TextWriter output)
    {
        ImageTextReport report = ImageTextEvaluation.Evaluate(model, training, test, Prompts(promptsPath));
        output.Write(report.ZeroShot.Describe(DigitCaptioner.Digits));
        output.Write(report.Retrieval.Describe());
        output.WriteLine(report.Probe.Describe());
    }

    private static void SearchImages(ClipModel model, CaptionedDigits test, string query, int count, TextWriter output)
    {
        EmbeddingMatrix images = ImageTextEvaluation.Images(model, test);
        EmbeddingMatrix caption = ImageTextEvaluation.Texts(model, [query]);
        foreach (RetrievalHit hit in CrossModalRetrieval.TopK(caption.Row(0), images, count))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"image {hit.Index,5}  cosine {hit.Cosine:F4}  digit {test.Labels[hit.Index]}  \"{test.Captions[hit.Index]}\""));
    }

    private static void SearchCaptions(ClipModel model, CaptionedDigits test, int index, int count, TextWriter output)
    {
        if ((uint)index >= (uint)test.Count) throw new ArgumentException($"--image {index} is outside the {test.Count} test images.");
        // Only the query image is embedded; every caption is a candidate.
        IdxImages all = test.Images;
        var query = new IdxImages(all.Pixels.AsSpan(index * all.PixelsPerImage, all.PixelsPerImage).ToArray(), 1, all.Rows, all.Columns);
        EmbeddingMatrix captions = ImageTextEvaluation.Texts(model, test.Captions);
        output.WriteLine($"image {index}: digit {test.Labels[index]}, \"{test.Captions[index]}\"");
        foreach (RetrievalHit hit in CrossModalRetrieval.TopK(model.EmbedImages(query), captions, count))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"caption {hit.Index,5}  cosine {hit.Cosine:F4}  \"{test.Captions[hit.Index]}\""));
    }

    /// <summary>
    /// Per digit, every prompt of the templates in <paramref name="path"/> (one per line with {digit}; blank lines and
    /// '#' comments skipped) or, without a file, of the training templates, attribute slots filled every way.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<string>> Prompts(string? path)
    {
        string[] templates = DigitCaptioner.TrainingTemplates;
        if (path != null)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The prompt file {path} does not exist.", path);
            templates = [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
            if (templates.Length == 0) throw new InvalidDataException($"{path} holds no prompt templates (one per line, each with {{digit}}).");
        }
        return DigitCaptioner.ClassPrompts(templates);
    }

    private static (Option<DirectoryInfo> Model, Option<DirectoryInfo> Data, Option<FileInfo?> TrainCaptions, Option<FileInfo?> TestCaptions, Option<FileInfo?> Prompts) CommonOptions() =>
    (
        new Option<DirectoryInfo>("--model", "-m") { Description = "The CLIP model folder written by 'embed train clip'.", Required = true },
        ClipDataOptions.Data(),
        ClipDataOptions.TrainingCaptions(),
        ClipDataOptions.TestCaptions(),
        new Option<FileInfo?>("--prompts") { Description = "Zero-shot prompt templates, one per line with {digit} (default: the training templates, attribute slots filled every way)." }
    );
}
