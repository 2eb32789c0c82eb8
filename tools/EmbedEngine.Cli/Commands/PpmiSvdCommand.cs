using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train ppmi-svd</c>: PPMI + truncated SVD word vectors (Levy, Goldberg and Dagan 2015) from a matrix
/// written by <c>embed cooccur</c>. The option names follow their hyperwords tools (<c>--cds</c>, <c>--eig</c>, <c>--neg</c> as <c>--shift</c>).
/// </summary>
internal static class PpmiSvdCommand
{
    private static readonly PpmiSvdOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var matrix = new CooccurrenceArguments();
        var target = TrainingOptions.VectorsOutput();
        var format = TrainingOptions.Format();
        var size = new Option<int>("--size", "--dim") { Description = "Vector dimension (the SVD's rank).", DefaultValueFactory = _ => Defaults.Svd.Rank };
        var cds = new Option<double>("--cds") { Description = "Context-distribution smoothing exponent α of P_α(c) = #c^α/Σ#c'^α (1: none).", DefaultValueFactory = _ => Defaults.Ppmi.ContextSmoothing };
        var shift = new Option<double>("--shift", "--neg") { Description = "Shifted PPMI: subtract log(shift) before clipping at 0 (1: no shift).", DefaultValueFactory = _ => Defaults.Ppmi.Shift };
        var eig = new Option<double>("--eig") { Description = "Eigenvalue weighting p: vectors are U·Σ^p (0, 0.5 or 1).", DefaultValueFactory = _ => Defaults.EigenvalueWeighting };
        var normalize = new Option<bool>("--normalize") { Description = "Scale every vector to unit length." };
        var oversample = new Option<int>("--oversample") { Description = "Extra random directions in the SVD's sketch.", DefaultValueFactory = _ => Defaults.Svd.Oversampling };
        var power = new Option<int>("--power-iterations") { Description = "Power iterations of the randomized SVD.", DefaultValueFactory = _ => Defaults.Svd.PowerIterations };
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed(Defaults.Svd.Seed);
        var metrics = TrainingOptions.Metrics();
        var command = new Command("ppmi-svd", "Word vectors by PPMI and truncated SVD of a co-occurrence matrix from 'embed cooccur'.")
        {
            matrix.Input, matrix.Vocabulary, target, format, size, cds, shift, eig, normalize, oversample, power, threads, seed, metrics,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new PpmiSvdOptions
            {
                Ppmi = new PpmiOptions { ContextSmoothing = parsed.GetValue(cds), Shift = parsed.GetValue(shift) },
                Svd = new RandomizedSvdOptions
                {
                    Rank = parsed.GetValue(size),
                    Oversampling = parsed.GetValue(oversample),
                    PowerIterations = parsed.GetValue(power),
                    Seed = parsed.GetValue(seed),
                    Threads = parsed.GetValue(threads),
                },
                EigenvalueWeighting = parsed.GetValue(eig),
                NormalizeRows = parsed.GetValue(normalize),
            };
            options.Validate();
            (CsrMatrix counts, Vocabulary vocabulary) = matrix.Load(parsed);
            string outputPath = parsed.GetValue(target)!.FullName;
            VectorFormat vectorFormat = OutputFormats.Resolve(parsed.GetValue(format), outputPath);
            return Task.FromResult(Run(options, counts, vocabulary, outputPath, vectorFormat,
                parsed.GetValue(metrics)?.FullName, output, error, cancellation));
        });
        return command;
    }

    private static int Run(PpmiSvdOptions options, CsrMatrix counts, Vocabulary vocabulary, string outputPath, VectorFormat format,
        string? metricsPath, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ppmi-svd dim {options.Svd.Rank}, {counts.NonZeros} co-occurrences, cds {options.Ppmi.ContextSmoothing}, shift {options.Ppmi.Shift}, eig {options.EigenvalueWeighting}, oversample {options.Svd.Oversampling}, {options.Svd.PowerIterations} power iterations, {options.Svd.Threads} threads, kernels {IsaDispatch.Active}"));
        PpmiSvdResult result = ProgressReporter.ForStandardError(error, unit: "nonzeros", step: "product").Follow(metricsPath, report =>
            PpmiSvdTrainer.Train(counts, vocabulary, options, report, cancellation));
        using (result.Vectors)
        {
            VectorFile.Save(result.Vectors, outputPath, format);
            IReadOnlyList<float> sigma = result.SingularValues;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vocabulary {vocabulary.Count} words, {result.PpmiNonZeros} positive PMI entries, factorized in {result.Final.Elapsed.TotalSeconds:F1} s; singular values {sigma[0]:G4} .. {sigma[^1]:G4}, {result.CapturedFraction * 100:F1}% of the PPMI matrix's squared norm"));
            output.WriteLine($"wrote {result.Vectors.Count} vectors of dimension {result.Vectors.Dimension} to {outputPath} ({format})");
        }
        return ExitCodes.Success;
    }
}
