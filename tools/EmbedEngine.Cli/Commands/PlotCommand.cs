using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Vectors;
using ScottPlot;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed plot words|loss</c>: pictures people would rather look at than read — a 2-D PCA of chosen words or of a
/// word's nearest neighbours, and the loss curve of a training run (from its <c>--metrics</c> file); PNG or SVG by the
/// output's extension, written atomically.
/// </summary>
internal static class PlotCommand
{
    private const int Width = 900, Height = 650;

    public static Command Create(TextWriter output)
    {
        var command = new Command("plot", "Draw word vectors (PCA) or a training run's loss curve as PNG or SVG.");
        command.Subcommands.Add(Words(output));
        command.Subcommands.Add(Loss(output));
        return command;
    }

    private static Command Words(TextWriter output)
    {
        var vectors = new Option<FileInfo>("--vectors", "-v") { Description = "Word vectors (any format embed reads).", Required = true };
        var target = new Option<FileInfo>("--output", "-o") { Description = "The picture: .png or .svg.", Required = true };
        var words = new Argument<string[]>("words") { Description = "Words to draw.", Arity = ArgumentArity.ZeroOrMore };
        var neighboursOf = new Option<string?>("--neighbours") { Description = "Draw this word and its nearest neighbours instead." };
        var k = new Option<int>("-k") { Description = "With --neighbours: how many.", DefaultValueFactory = _ => 20 };
        var command = new Command("words", "A 2-D PCA projection of chosen words, or of a word and its nearest neighbours.") { vectors, target, words, neighboursOf, k };
        command.SetAction(parsed =>
        {
            string path = PicturePath(parsed.GetValue(target)!);
            using KeyedVectors keyed = VectorFile.Load(parsed.GetValue(vectors)!.FullName);
            List<string> chosen = [.. parsed.GetValue(words)!];
            if (parsed.GetValue(neighboursOf) is { } centre)
            {
                if (parsed.GetValue(k) < 1) throw new ArgumentException("-k must be at least 1.");
                chosen = [centre, .. keyed.MostSimilar(centre, parsed.GetValue(k)).Select(n => n.Word)];
            }
            if (chosen.Count < 2) throw new ArgumentException("Give at least two words, or --neighbours WORD.");
            string[] missing = [.. chosen.Where(w => keyed.IndexOf(w) < 0)];
            if (missing.Length > 0) throw new KeyNotFoundException($"Not in the vocabulary: {string.Join(", ", missing)}.");
            float[][] rows = [.. chosen.Select(w =>
            {
                var unit = new float[keyed.Dimension];
                keyed.UnitVector(keyed.IndexOf(w), unit);
                return unit;
            })];
            (double[][] xy, double[] share) = PrincipalComponents.Project(rows, 2);
            var plot = new Plot();
            var points = plot.Add.ScatterPoints(xy.Select(p => p[0]).ToArray(), xy.Select(p => p[1]).ToArray());
            points.MarkerSize = 7;
            for (int i = 0; i < chosen.Count; i++)
            {
                var label = plot.Add.Text(chosen[i], xy[i][0], xy[i][1]);
                label.LabelFontSize = 13;
                label.OffsetX = 5;
            }
            plot.Title(parsed.GetValue(neighboursOf) is { } c ? $"'{c}' and its {chosen.Count - 1} nearest neighbours" : $"{chosen.Count} words");
            plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"PC 1 ({share[0]:P0} of the variance)"));
            plot.YLabel(string.Create(CultureInfo.InvariantCulture, $"PC 2 ({share[1]:P0})"));
            Save(plot, path);
            output.WriteLine($"wrote {path}: {chosen.Count} words, PCA of their unit vectors ({share[0] + share[1]:P0} of the variance shown)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Loss(TextWriter output)
    {
        var metrics = new Option<FileInfo>("--input", "-i") { Description = "A training run's --metrics file (JSON lines).", Required = true };
        var target = new Option<FileInfo>("--output", "-o") { Description = "The picture: .png or .svg.", Required = true };
        var command = new Command("loss", "The loss curve of a training run from its --metrics file (and the validation loss when it has one).") { metrics, target };
        command.SetAction(parsed =>
        {
            string path = PicturePath(parsed.GetValue(target)!);
            string source = parsed.GetValue(metrics)!.FullName;
            List<(double X, double Loss, double Validation)> points = [];
            int lineNumber = 0;
            foreach (string line in File.ReadLines(source))
            {
                lineNumber++;
                if (line.Length == 0) continue;
                try
                {
                    using JsonDocument json = JsonDocument.Parse(line);
                    JsonElement e = json.RootElement;
                    double Number(string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;
                    points.Add((Number("words"), Number("loss"), Number("validation_loss")));
                }
                catch (JsonException)
                {
                    throw new InvalidDataException($"{source}:{lineNumber}: not a JSON line of embed's --metrics.");
                }
            }
            var withLoss = points.Where(p => !double.IsNaN(p.Loss) && !double.IsNaN(p.X)).ToList();
            if (withLoss.Count == 0) throw new InvalidDataException($"{source} holds no loss values (a --metrics file of a training run).");
            var plot = new Plot();
            var training = plot.Add.ScatterLine(withLoss.Select(p => p.X).ToArray(), withLoss.Select(p => p.Loss).ToArray());
            training.LegendText = "training loss";
            var validation = points.Where(p => !double.IsNaN(p.Validation) && !double.IsNaN(p.X)).ToList();
            if (validation.Count > 0)
            {
                var line = plot.Add.ScatterLine(validation.Select(p => p.X).ToArray(), validation.Select(p => p.Validation).ToArray());
                line.LegendText = "validation loss";
                plot.ShowLegend();
            }
            plot.Title(Path.GetFileNameWithoutExtension(source));
            plot.XLabel("progress (words, tokens or steps, as the trainer counts them)");
            plot.YLabel("loss");
            Save(plot, path);
            output.WriteLine($"wrote {path}: {withLoss.Count} loss points{(validation.Count > 0 ? $", {validation.Count} validation points" : "")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string PicturePath(FileInfo file) =>
        file.Extension.ToLowerInvariant() is ".png" or ".svg" ? file.FullName
            : throw new ArgumentException($"{file.FullName}: the picture is .png or .svg.");

    private static void Save(Plot plot, string path)
    {
        byte[] bytes = path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)
            ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(Width, Height))
            : plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
